# regions.gp IN.csv OUT.{pdf,png} -- decision regions of Lab 0's three models on the spirals, one
# panel each, shaded by the predicted probability of class 1, with the training points on top.
# IN: model,x1,x2,p (a square grid per model, rows x1-fastest, models one after the other);
# beside it depth_points.csv: x1,x2,label.
if (ARGC < 2) { print "usage: gnuplot -c regions.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 7
load 'style.gp'
pts = fig_in[1:strstrt(fig_in, 'depth.csv') - 1].'depth_points.csv'
stats [*:*][*:*] fig_in using 'x1' nooutput
N = int(STATS_records)
G = 3                          # models, in the order of the rows
per = N / G
names = "logistic linear5 relu5"
titles = "'logistic regression' 'five Linear layers, no activation' 'five Linear layers with ReLU'"
unset grid; unset key
set size ratio -1
set xrange [-1.1:1.1]; set yrange [-1.1:1.1]
set xtics 1; set ytics 1
set cbrange [0:1]
set palette defined (0 '#c6dbef', 0.5 '#ffffff', 1 '#fdd0a2')
unset colorbox
set multiplot layout 1,3 margins 0.07,0.98,0.17,0.9 spacing 0.05,0
do for [k=1:G] {
    set title word(titles, k) offset 0,-0.6
    set xlabel 'x_1' enhanced offset 0,0.8
    if (k == 1) { set ylabel 'x_2' enhanced offset 1,0 } else { unset ylabel }
    plot fig_in every ::((k-1)*per)::(k*per-1) using 'x1':'x2':'p' with image, \
         pts using 'x1':(column('label') == 0 ? column('x2') : NaN) with points pt 6 ps 0.35 lc rgb '#0072B2', \
         pts using 'x1':(column('label') == 1 ? column('x2') : NaN) with points pt 7 ps 0.3 lc rgb '#D55E00'
}
unset multiplot
