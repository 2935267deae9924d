# style.gp -- the one style every figure shares. A script sets fig_in and fig_out (its two
# arguments: `load` does not pass ARG1 and ARG2 on), fig_w and fig_h (cm), then
#   load 'style.gp'
# which picks the terminal from the extension of fig_out (.pdf for the book, .png for HTML
# and the README), sets the fonts to match the text (Latin Modern, 10 pt: the measured
# fontscale 0.75 of TOOLCHAIN.md), and defines the line styles.
if (!exists("fig_w")) fig_w = 12
if (!exists("fig_h")) fig_h = 7
if (fig_out[strlen(fig_out)-3:] eq ".pdf") {
    set terminal pdfcairo size fig_w cm, fig_h cm font 'Latin Modern Roman,10' fontscale 0.75 linewidth 1
} else {
    set terminal pngcairo size int(fig_w * 50), int(fig_h * 50) font 'Latin Modern Roman,13' linewidth 1.4
}
set output fig_out
set datafile separator comma
set datafile missing "diverged"
set key noenhanced top right opaque box lw 0.5 samplen 2
set grid lt 1 lw 0.5 lc rgb '#dddddd'
set tics nomirror out scale 0.6
set border 3 lw 0.8
# Okabe-Ito colours: distinguishable in colour-blind vision and in grey
set style line 1 lc rgb '#0072B2' lw 2 pt 7 ps 0.4
set style line 2 lc rgb '#D55E00' lw 2 pt 5 ps 0.4 dt 2
set style line 3 lc rgb '#009E73' lw 2 pt 9 ps 0.4 dt 4
set style line 4 lc rgb '#CC79A7' lw 2 pt 11 ps 0.4 dt 5
set style line 5 lc rgb '#E69F00' lw 2 pt 13 ps 0.4
set style line 6 lc rgb '#56B4E9' lw 2 pt 3 ps 0.4 dt 3
set style line 7 lc rgb '#444444' lw 1.5 pt 1 ps 0.5 dt 6
set style line 8 lc rgb '#000000' lw 1.5 pt 6 ps 0.4 dt 1
set style increment user
