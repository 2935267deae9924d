# gap.gp IN.csv OUT.{pdf,png} -- the train-validation gap opening: accuracy (min-max band over
# seeds and mean) on the left, mean loss on the right, per epoch.
# IN: epoch,train_min,train_mean,train_max,val_min,val_mean,val_max,train_loss,val_loss
if (ARGC < 2) { print "usage: gnuplot -c gap.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 15; fig_h = 7
load 'style.gp'
set style fill transparent solid 0.15 noborder
set autoscale xfix
set multiplot layout 1,2 spacing 0.12,0 margins 0.1,0.97,0.36,0.97
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set key at screen 0.2, 0.075 left top vertical maxrows 1 Left reverse noopaque nobox width 2 samplen 2
plot fig_in using 'epoch':(100*column('train_min')):(100*column('train_max')) with filledcurves ls 1 notitle, \
     ''     using 'epoch':(100*column('train_mean')) with linespoints ls 1 title 'training (labels as given)', \
     ''     using 'epoch':(100*column('val_min')):(100*column('val_max')) with filledcurves ls 2 notitle, \
     ''     using 'epoch':(100*column('val_mean')) with linespoints ls 2 title 'validation'
set ylabel 'cross-entropy loss'
unset key
plot fig_in using 'epoch':'train_loss' with linespoints ls 1 title 'training', \
     ''     using 'epoch':'val_loss' with linespoints ls 2 title 'validation'
unset multiplot
