# bigram.gp IN.csv OUT.{pdf,png} -- the bigram count table as a heat map: row = the previous
# symbol, column = the next one ('.' is the word boundary), colour = count on a log scale,
# pairs never seen in training left white.
# IN: prev,next,count,prev_sym,next_sym (27 x 27 rows, symbols 0..26)
if (ARGC < 2) { print "usage: gnuplot -c bigram.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 12; fig_h = 11
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
unset grid; unset key
set border 15
set size ratio -1
set xlabel 'next symbol'
set ylabel 'previous symbol'
set xrange [-0.5:26.5]
set yrange [26.5:-0.5]
symbols = '.abcdefghijklmnopqrstuvwxyz'
set xtics () scale 0 mirror
set ytics () scale 0 mirror
do for [i=0:26] { set xtics add (symbols[i+1:i+1] i); set ytics add (symbols[i+1:i+1] i) }
set logscale cb
set cbrange [1:*]
set format cb '10^{%L}'
set cblabel 'count in the training words'
set palette defined (0 '#f7fbff', 1 '#c6dbef', 2 '#6baed6', 3 '#2171b5', 4 '#08306b')
plot fig_in using 'next':'prev':(column('count') > 0 ? column('count') : NaN) with image notitle
