# embedding2d.gp IN.csv OUT.{pdf,png} -- a 2-D embedding table: each symbol drawn at its vector.
# IN: symbol,x,y (27 rows; '.' is the word boundary)
if (ARGC < 2) { print "usage: gnuplot -c embedding2d.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 10; fig_h = 9
load 'style.gp'
unset key
set size ratio -1
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
set xlabel 'embedding dimension 1'
set ylabel 'embedding dimension 2'
vowel(s) = strstrt('aeiouy', s) > 0
plot fig_in using 'x':'y' with points pt 7 ps 2.2 lc rgb '#e4e4e4' notitle, \
     ''     using 'x':'y':(strcol('symbol')):(vowel(strcol('symbol')) ? 0xD55E00 : strcol('symbol') eq '.' ? 0x000000 : 0x0072B2) \
            with labels tc rgb variable font ',14' notitle
