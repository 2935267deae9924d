# weights.gp IN.csv OUT.{pdf,png} -- what training changed in the first-layer weights of 16
# hidden units (final minus initial), as 28 x 28 images, all on one colour scale (the bar on the
# right): red for positive, blue for negative, white for zero. IN: unit,x,y,weight,change
# (784 rows per unit)
if (ARGC < 2) { print "usage: gnuplot -c weights.gp IN.csv OUT.pdf"; exit status 2 }
fig_w = 13; fig_h = 12.5
fig_in = ARG1; fig_out = ARG2
load 'style.gp'
unset grid; unset border; unset tics; unset key
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
# one scale for every panel, symmetric about zero, so that panels can be compared
stats [*:*][*:*] fig_in using 'change' nooutput
m = (abs(STATS_min) > abs(STATS_max) ? abs(STATS_min) : abs(STATS_max))
set cbrange [-m:m]
set multiplot layout 4,4 margins 0.01,0.8,0.01,0.95 spacing 0.02,0.05
do for [u=0:15] {
    if (u == 15) {
        set colorbox user origin screen 0.83, screen 0.15 size screen 0.025, screen 0.7
        set cbtics out scale 0.5 font ',9'
        set cblabel 'change of the weight' offset -0.5,0
    } else { unset colorbox }
    set title sprintf('unit %d', u) offset 0,-0.8
    plot fig_in every ::(u*784)::(u*784+783) using 'x':'y':'change' with image
}
unset multiplot
