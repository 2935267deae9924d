# resgrad.gp IN.csv OUT.{pdf,png} -- RMS of the gradient reaching each Linear layer's input, plain
# vs residual net, log scale. IN: net,layer,grad_rms,weight_grad_rms
if (ARGC < 2) { print "usage: gnuplot -c resgrad.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 12; fig_h = 6.5
load 'style.gp'
pick(n) = (strcol('net') eq n) ? column('grad_rms') : NaN
set logscale y
set format y '10^{%L}'
set xlabel 'Linear layer (1 = input side)'
set ylabel 'RMS of dL/dx at the layer input'
set key bottom right
plot fig_in using 'layer':(pick('plain')) with linespoints title 'plain', \
     ''     using 'layer':(pick('residual')) with linespoints title 'residual'
