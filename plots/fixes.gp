# fixes.gp IN.csv OUT.{pdf,png} -- small multiples: the training loss per step of each broken run
# and of its fix, one panel per failure (log scale, each panel its own range; a run that diverged
# stops). A dotted grey line marks ln 10, the loss of a net that guesses uniformly.
# IN: failure,variant,step,loss with variant "broken" or "fixed". Losses above 1e5 leave the panel.
if (ARGC < 2) { print "usage: gnuplot -c fixes.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 16; fig_h = 16
load 'style.gp'
names = system(sprintf("awk -F, 'NR > 1 && $1 != last { printf \"%%s \", $1; last = $1 }' %s", fig_in))
K = words(names)
sel(f, v) = strcol('failure') eq f && strcol('variant') eq v ? column('step') : NaN
inpanel(f) = strcol('failure') eq f ? column('loss') : NaN
set logscale y
set format y '10^{%L}'
set tics font ',8'
set key off
set multiplot layout 3,3 margins 0.09,0.98,0.1,0.96 spacing 0.07,0.12
do for [k=1:K] {
    f = word(names, k)
    stats [*:*][*:*] fig_in using (inpanel(f) > 0 && inpanel(f) < 1e5 ? inpanel(f) : NaN) nooutput
    lo = 10 ** floor(log10(STATS_min < 1 ? STATS_min : 1))
    hi = 10 ** ceil(log10(STATS_max > 10 ? STATS_max : 10))
    set yrange [lo:hi]
    set ytics lo, (hi / lo > 1e6 ? 100 : 10)
    stats [*:*][*:*] fig_in using (strcol('failure') eq f ? column('step') : NaN) nooutput
    raw = STATS_max / 4.0
    p10 = 10 ** floor(log10(raw))
    set xtics 0, (raw / p10 > 5 ? 10 : raw / p10 > 2 ? 5 : 2) * p10
    set xrange [0:STATS_max]
    set title f offset 0,-0.6
    set xlabel (k > 6 ? 'step' : '')
    set ylabel ((k - 1) % 3 == 0 ? 'training loss' : '')
    if (k == 1) { set key top right noopaque nobox samplen 1.5 font ',8' } else { set key off }
    plot fig_in using (sel(f, 'broken')):'loss' with lines ls 2 dt 1 lw 1 title 'broken', \
         ''     using (sel(f, 'fixed')):'loss' with lines ls 1 lw 1 title 'fixed', \
         log(10) with lines lc rgb '#888888' lw 1 dt 3 title 'ln 10'
}
unset multiplot
