# confusion.gp IN.csv OUT.{pdf,png} -- confusion matrix as a heat map with the counts written in.
# IN: true,predicted,count (10 x 10 rows)
if (ARGC < 2) { print "usage: gnuplot -c confusion.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 12; fig_h = 10.5
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
unset grid; unset key
set border 15
set size ratio -1
set xlabel 'predicted class'
set ylabel 'true class'
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics 0,1,9 scale 0 mirror
set ytics 0,1,9 scale 0 mirror
set cbrange [0:*]
set cblabel 'test images (log colour scale)' offset 1.5,0
set logscale cb
set cbrange [1:*]
set palette defined (0 '#f7fbff', 1 '#c6dbef', 2 '#6baed6', 3 '#2171b5', 4 '#08306b')
set format cb '%g'
stats [*:*][*:*] fig_in using 'count' nooutput
plot fig_in using 'predicted':'true':(column('count') > 0 ? column('count') : 1) with image notitle, \
     ''   using 'predicted':'true':(sprintf('%d', column('count'))): \
          (column('count') > STATS_max / 3 ? 0xffffff : 0x222222) with labels tc rgb variable font ',10' notitle
