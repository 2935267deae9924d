# fixes.gp IN.csv OUT.{pdf,png} -- small multiples: the training loss per step of each broken run
# and of its fix, one panel per failure (log scale; a run that diverged stops).
# IN: failure,variant,step,loss with variant "broken" or "fixed". Losses beyond [1e-4, 1e5] leave the
# panel.
if (ARGC < 2) { print "usage: gnuplot -c fixes.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 16; fig_h = 15
load 'style.gp'
names = system(sprintf("awk -F, 'NR > 1 && $1 != last { printf \"%%s \", $1; last = $1 }' %s", fig_in))
K = words(names)
sel(f, v) = strcol('failure') eq f && strcol('variant') eq v ? column('step') : NaN
set logscale y
set format y '10^{%L}'
set ytics 1e-4, 100
set yrange [1e-4:1e5]
set tics font ',8'
set key off
set multiplot layout 3,3 margins 0.08,0.98,0.1,0.95 spacing 0.07,0.09
do for [k=1:K] {
    set title word(names, k) offset 0,-0.6
    set xlabel (k > 6 ? 'step' : '')
    set ylabel ((k - 1) % 3 == 0 ? 'training loss' : '')
    if (k == 1) { set key top right noopaque nobox samplen 1.5 font ',8' } else { set key off }
    plot fig_in using (sel(word(names, k), 'broken')):'loss' with lines ls 2 dt 1 lw 1 title 'broken', \
         ''     using (sel(word(names, k), 'fixed')):'loss' with lines ls 1 lw 1 title 'fixed'
}
unset multiplot
