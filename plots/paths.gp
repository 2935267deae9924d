# paths.gp IN.csv OUT.{pdf,png} -- optimizers' paths drawn over the contour lines of two 2-D
# surfaces, one panel each: the ill-conditioned quadratic and Rosenbrock's valley.
# IN: surface,optimizer,step,x,y,f; beside it surface_quadratic.dat and surface_rosenbrock.dat
# ("x y f" rows, a blank line after each scan), written by the lab.
if (ARGC < 2) { print "usage: gnuplot -c paths.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 8
load 'style.gp'
dir = fig_in[1:strstrt(fig_in, 'paths.csv') - 1]
opts = system(sprintf("awk -F, 'NR > 1 && $2 != last { if (!seen[$2]++) printf \"%%s \", $2; last = $2 }' %s", fig_in))
K = words(opts)
sel(s, o) = strcol('surface') eq s && strcol('optimizer') eq o ? column('x') : NaN
# the contour lines, computed by gnuplot from the grids into two datablocks of "x y f" lines;
# read back with the comma separator, each line is one field: cx and cy split it
cx(k) = real(word(strcol(1), k))
set datafile separator whitespace
set contour base; unset surface; set view map
set cntrparam levels discrete 0.05, 0.2, 0.5, 1, 2, 4, 8, 16, 32
set table $quad
splot dir.'surface_quadratic.dat' using 1:2:3 with lines
unset table
set cntrparam levels discrete 0.01, 0.1, 0.5, 2, 8, 32, 128, 512
set table $rosen
splot dir.'surface_rosenbrock.dat' using 1:2:3 with lines
unset table
unset contour
set datafile separator comma
# each optimizer's last point, a filled dot in its colour (SGD barely leaves Rosenbrock's start)
endpt(s, o) = sprintf("< awk -F, '$1 == \"%s\" && $2 == \"%s\" { l = $4 \",\" $5 } END { print l }' %s", s, o, fig_in)
set key at screen 0.5, 0.01 center bottom vertical maxrows 2 Left reverse width 2 noopaque nobox samplen 2.5
set multiplot layout 1,2 margins 0.08,0.98,0.34,0.9 spacing 0.11,0
set title 'f = 0.1x^2 + 2y^2' enhanced offset 0,-0.4
set xlabel 'x'; set ylabel 'y'
set xrange [-5.5:5.5]; set yrange [-2.5:2.5]
plot $quad using (cx(1)):(cx(2)) with lines lc rgb '#bbbbbb' lw 0.6 notitle, \
     for [k=1:K] fig_in using (sel('quadratic', word(opts, k))):'y' with linespoints ls k lw 1.2 ps 0.25 pi 4 \
         title word(opts, k), \
     for [k=1:K] endpt('quadratic', word(opts, k)) using 1:2 with points ls k pt 7 ps 0.7 notitle
set title 'f = (1-x)^2 + 100(y-x^2)^2' enhanced offset 0,-0.4
unset key
set xrange [-2:2]; set yrange [-1:3]
plot $rosen using (cx(1)):(cx(2)) with lines lc rgb '#bbbbbb' lw 0.6 notitle, \
     for [k=K:1:-1] fig_in using (sel('rosenbrock', word(opts, k))):'y' with lines ls k lw 1.2 notitle, \
     for [k=1:K] endpt('rosenbrock', word(opts, k)) using 1:2 with points ls k pt 7 ps 0.7 notitle, \
     '+' using (-1.2):(1) every ::0::0 with points pt 6 ps 1.2 lc rgb 'black' notitle, \
     '+' using (1):(1) every ::0::0 with points pt 3 ps 1.5 lc rgb 'black' notitle
unset multiplot
