# schedules.gp IN.csv OUT.{pdf,png} -- small multiples: the learning rate of each schedule
# against the epoch, as the library computes it (one panel per schedule, the same axes).
# IN: schedule,epoch,lr with the rows of each schedule together.
if (ARGC < 2) { print "usage: gnuplot -c schedules.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 8
load 'style.gp'
names = system(sprintf("awk -F, 'NR > 1 && $1 != last { printf \"%%s \", $1; last = $1 }' %s", fig_in))
K = words(names)
stats [*:*][*:*] fig_in using 'lr' nooutput
set yrange [0:STATS_max * 1.08]
stats [*:*][*:*] fig_in using 'epoch' nooutput
set xrange [0:ceil(STATS_max)]
sel(n) = strcol('schedule') eq n ? column('epoch') : NaN
set tics font ',8'
set key off
set format y '%g'
set xtics offset 0,0.4
set multiplot layout 2,4 margins 0.1,0.98,0.15,0.92 spacing 0.05,0.2
do for [k=1:K] {
    set title word(names, k) offset 0,-0.8 noenhanced
    set xlabel (k > 4 ? 'epoch' : '') offset 0,0.6
    set ylabel ((k - 1) % 4 == 0 ? 'learning rate' : '')
    if ((k - 1) % 4 != 0) { set format y '' } else { set format y '%g' }
    plot fig_in using (sel(word(names, k))):'lr' with lines ls 1 lw 1.5
}
unset multiplot
