# weights.gp IN.csv OUT.{pdf,png} -- what training changed in the first-layer weights of 16
# hidden units (final minus initial), as 28 x 28 images,
# red for positive, blue for negative, white for zero. IN: unit,x,y,weight,change (784 rows per unit)
if (ARGC < 2) { print "usage: gnuplot -c weights.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 12; fig_h = 12.5
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
unset grid; unset border; unset tics; unset key
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
unset colorbox
set multiplot layout 4,4 margins 0.02,0.98,0.01,0.95 spacing 0.03,0.05
do for [u=0:15] {
    stats [*:*][*:*] fig_in every ::(u*784)::(u*784+783) using 'change' nooutput
    m = (abs(STATS_min) > abs(STATS_max) ? abs(STATS_min) : abs(STATS_max))
    set cbrange [-m:m]
    set title sprintf('unit %d', u) offset 0,-0.8
    plot fig_in every ::(u*784)::(u*784+783) using 'x':'y':'change' with image
}
unset multiplot
