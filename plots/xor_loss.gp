# xor_loss.gp IN.csv OUT.{pdf,png} -- training loss on XOR against epoch, one line per optimizer.
# IN: epoch,optimizer,loss
if (ARGC < 2) { print "usage: gnuplot -c xor_loss.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 12; fig_h = 6.5
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
set xlabel 'epoch'
set ylabel 'cross-entropy loss (log scale)'
set logscale y
set format y '10^{%L}'
set key top right
plot fig_in using 'epoch':(strcol('optimizer') eq 'sgd' ? column('loss') : NaN) with lines ls 1 title 'SGD, lr 0.1', \
     ''   using 'epoch':(strcol('optimizer') eq 'adam' ? column('loss') : NaN) with lines ls 2 title 'Adam, lr 0.01'
