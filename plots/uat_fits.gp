# uat_fits.gp IN.csv OUT.{pdf,png} -- Lab 0's fits of sin 3x by one hidden layer, one panel per
# activation: the training samples, sin 3x itself (dashed), and the fit of each width, drawn on
# [-2, 2]; the shaded strips are outside the samples' interval [-1, 1].
# IN: activation,width,x,fit,true (blocks of equal length, activation by activation, width by
# width); beside it fits_data.csv: x,y.
if (ARGC < 2) { print "usage: gnuplot -c uat_fits.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 7.5
load 'style.gp'
data = fig_in[1:strstrt(fig_in, 'fits.csv') - 1].'fits_data.csv'
stats [*:*][*:*] fig_in using 'x' nooutput
N = int(STATS_records)
stats [*:*][*:*] fig_in using (column('x') == -2 ? 1 : 0) nooutput
B = int(STATS_sum)             # blocks: activations x widths
per = N / B
W = B / 2                      # widths per activation
width(k) = word(system(sprintf("awk -F, 'NR > 1 && (NR - 2) %% %d == 0 { print $2 }' %s", per, fig_in)), k)
set xrange [-2:2]; set yrange [-2:2]
set xtics 1; set ytics 1
set xlabel 'x' offset 0,0.5
set object 1 rect from -2, graph 0 to -1, graph 1 fc rgb '#eeeeee' fs solid noborder behind
set object 2 rect from 1, graph 0 to 2, graph 1 fc rgb '#eeeeee' fs solid noborder behind
set multiplot layout 1,2 margins 0.07,0.98,0.3,0.9 spacing 0.07,0
set key at screen 0.5, 0.01 center bottom vertical maxrows 1 Left reverse noopaque nobox samplen 2 width 1
do for [a=1:2] {
    set title (a == 1 ? 'tanh' : 'ReLU') offset 0,-0.6
    if (a == 1) { set ylabel 'y' } else { unset ylabel }
    plot data using 'x':'y' with points pt 7 ps 0.2 lc rgb '#aaaaaa' title 'samples', \
         fig_in every ::0::(per-1) using 'x':'true' with lines lc rgb '#000000' lw 1.5 dt 2 title 'sin 3x', \
         for [k=1:W] fig_in every ::((a-1)*W*per + (k-1)*per)::((a-1)*W*per + k*per - 1) using 'x':'fit' \
             with lines ls k+(k>1) dt 1 title (width(k) eq '1' ? '1 unit' : width(k).' units')
    unset key
}
unset multiplot
