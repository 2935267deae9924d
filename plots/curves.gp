# curves.gp IN.csv OUT.{pdf,png} -- training curves: loss and accuracy, train and validation.
# IN: epoch,train_loss,train_acc,val_loss,val_acc,...
if (ARGC < 2) { print "usage: gnuplot -c curves.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 15; fig_h = 6
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
set multiplot layout 1,2 spacing 0.12,0
set xlabel 'epoch'
set ylabel 'cross-entropy loss'
set key top right
plot fig_in using 'epoch':'train_loss' with linespoints ls 1 title 'training', \
     ''   using 'epoch':'val_loss' with linespoints ls 2 title 'validation'
set ylabel 'accuracy (%)'
set key bottom right
plot fig_in using 'epoch':(100*column('train_acc')) with linespoints ls 1 title 'training', \
     ''   using 'epoch':(100*column('val_acc')) with linespoints ls 2 title 'validation'
unset multiplot
