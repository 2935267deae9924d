# digits.gp IN.csv OUT.{pdf,png} -- a 4 x 4 grid of 28 x 28 images with their true and
# predicted labels ("true → predicted"). IN: rank,x,y,pixel,true,predicted (784 rows per image, ranks 0..15)
if (ARGC < 2) { print "usage: gnuplot -c digits.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 12; fig_h = 13
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
unset grid; unset border; unset tics; unset key; unset colorbox
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set palette gray negative
set cbrange [0:255]
stats [*:*][*:*] fig_in using 'rank' nooutput
n = int(STATS_max) + 1
set multiplot layout 4,4 margins 0.02,0.98,0.01,0.95 spacing 0.03,0.05
do for [k=0:15] {
    if (k < n) {
        stats [*:*][*:*] fig_in every ::(k*784)::(k*784) using 'true' nooutput
        t = int(STATS_min)
        stats [*:*][*:*] fig_in every ::(k*784)::(k*784) using 'predicted' nooutput
        p = int(STATS_min)
        set title sprintf('%d → %d', t, p) offset 0,-0.8
        plot fig_in every ::(k*784)::(k*784+783) using 'x':'y':'pixel' with image
    } else {
        unset title
        plot NaN
    }
}
unset multiplot
