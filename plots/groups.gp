# groups.gp IN.csv OUT.{pdf,png} -- accuracy against a swept quantity on a log axis, one band
# (min-max over seeds) and mean line per group; a diverged point is a gap. The groups are set
# slightly apart along x (12% each, on the log axis) so that a group with a single point is
# not hidden under the others.
# IN: group,x,val_min,val_mean,val_max,... with the rows of each group together, the same number
# of rows per group (an underscore in a group's name prints as a space); with a `diverged` column
# (seeds that diverged), a thin dashed line in the group's colour marks each point where some seed
# diverged. The axis titles come from the file name (lr_grid, batch_size, running_stats).
if (ARGC < 2) { print "usage: gnuplot -c groups.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 12; fig_h = 7
load 'style.gp'
groups = system(sprintf("awk -F, 'NR > 1 && $1 != last { printf \"%%s \", $1; last = $1 }' %s", fig_in))
K = words(groups)
stats [*:*][*:*] fig_in using 'x' nooutput
E = int(STATS_records / K)
base2 = STATS_max <= 4096 && STATS_min >= 1 && strstrt(fig_in, 'batch') > 0
if (base2) { set logscale x 2; set xtics 1, 2 } else { set logscale x; set format x '%g' }
set offsets graph 0.04, graph 0.04, 0, 0
set xlabel (strstrt(fig_in, 'lr_grid') > 0 ? 'learning rate (SGD, momentum 0.9)' : \
            strstrt(fig_in, 'batch') > 0 ? 'batch size' : strstrt(fig_in, 'running') > 0 ? 'batches used for the running statistics' : \
            strstrt(fig_in, 'lr_sweep') > 0 ? 'learning rate (constant)' : 'x')
set ylabel (strstrt(fig_in, 'running') > 0 ? 'test accuracy (%)' : 'validation accuracy (%)')
has_div = system(sprintf("head -1 %s | cut -d, -f6", fig_in)) eq 'diverged'
if (has_div) { stats [*:*][*:*] fig_in using 6 nooutput; has_div = STATS_max > 0 }
# accuracies from 0, except a sweep whose arms all train (lr_sweep): there the differences matter
ymin = 0
if (strstrt(fig_in, 'lr_sweep') > 0 && !has_div) { stats [*:*][*:*] fig_in using (100*column('val_min')) nooutput; ymin = floor(STATS_min - 1) }
set yrange [ymin:*]
set style fill transparent solid 0.15 noborder
jx(x, k) = x * 1.12 ** (k - (K + 1) / 2.0)
name(k) = system(sprintf("echo '%s' | tr _ ' '", word(groups, k)))
set key outside right top vertical Left reverse samplen 2 width 1 noopaque nobox
if (has_div) { set yrange [ymin:100] }
plot for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using (jx(column('x'), k)):(100*column('val_min')):(100*column('val_max')) \
         with filledcurves ls k notitle, \
     for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using (jx(column('x'), k)):(100*column('val_mean')) with linespoints ls k \
         title name(k), \
     for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using (jx(column('x'), k)):(has_div && column(6) > 0 ? 100 : NaN) \
         with impulses ls k lw 1 dt 2 notitle, \
     (has_div ? NaN : 1/0) with lines lc rgb '#666666' lw 1 dt 2 title (has_div ? 'some seed diverged' : '')
