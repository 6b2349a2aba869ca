# SPDX-License-Identifier: Apache-2.0
# bench_plots.gp: the plots of docs/performance.md, from make bench's CSV.
# Run by `make bench-plots`:  gnuplot -e "csv='sim/out/bench.csv'; outdir='docs/img'" sim/bench_plots.gp
#
# CSV columns (tb/ferry_bench.c CSV_HEADER): 1 sweep, 2 mode, 3 data_width,
# 5 bytes, 6 desc_bytes, 10 latency, 13 pcie, 14 mps, 17 util_pct,
# 18 stream_pct, 21 bound_pct, 24 desc_ceiling_pct, 26 doorbell_to_first,
# 27 lastb_to_cpl, 28 lastb_to_irq, 30 gbps, 31 link_ceiling_gbps.

if (!exists("csv")) csv = 'sim/out/bench.csv'
if (!exists("outdir")) outdir = 'docs/img'

# rows of csv matching an awk condition
rows(c) = "< awk -F, 'NR>1 && " . c . "' " . csv
# the same, sorted by DATA_WIDTH (the CSV holds each build's rows in run order)
rows_dw(c) = rows(c) . " | sort -t, -k3,3n"

set terminal pngcairo size 900,540 font "DejaVu Sans,10" noenhanced
set datafile separator ","
set grid
set key bottom right

# ---- 1. utilization vs transfer size, per memory latency (direct, 64-bit)
set output outdir . '/perf_size_latency.png'
set title "Direct copy: bus utilization vs transfer size (64-bit bus, channel 0, aligned)"
set logscale x 2
set xlabel "transfer size (bytes)"
set ylabel "utilization (%)"
set yrange [0:105]
set format x "%.0b%B"
plot rows('$1=="size" && $10==0')   using 5:17 with linespoints lw 2 pt 7 title "end to end, latency 0", \
     rows('$1=="size" && $10==100') using 5:17 with linespoints lw 2 pt 7 title "end to end, latency 100", \
     rows('$1=="size" && $10==400') using 5:17 with linespoints lw 2 pt 7 title "end to end, latency 400", \
     rows('$1=="size" && $10==400') using 5:18 with linespoints lw 1 dt 2 pt 6 title "streaming, latency 400", \
     rows('$1=="size" && $10==0')   using 5:21 with lines lw 1 lc rgb "black" dt 3 title "bound (busier channel)"
unset format x

# ---- 2. ring mode: utilization vs descriptor size, per latency
set output outdir . '/perf_ring.png'
set title "Ring mode: bus utilization vs descriptor size (64-bit bus, descriptors queued before the doorbell)"
set xlabel "bytes per descriptor"
set format x "%.0b%B"
plot rows('$1=="ring" && $10==0')   using 6:17 with linespoints lw 2 pt 7 title "latency 0", \
     rows('$1=="ring" && $10==100') using 6:17 with linespoints lw 2 pt 7 title "latency 100", \
     rows('$1=="ring" && $10==400') using 6:17 with linespoints lw 2 pt 7 title "latency 400", \
     rows('$1=="ring" && $10==0')   using 6:21 with lines lw 1 lc rgb "black" dt 3 title "bound (busier channel)", \
     rows('$1=="ring" && $10==0')   using 6:24 with lines lw 1 lc rgb "gray40" dt 2 title "descriptor ceiling L/(L+48)"
unset format x

# ---- 3. utilization vs DATA_WIDTH
set output outdir . '/perf_width.png'
set title "Utilization vs DATA_WIDTH (4 channels, otherwise default parameters)"
set xlabel "DATA_WIDTH (bits)"
set logscale x 2
set xrange [24:340]
set xtics (32, 64, 128, 256)
set key bottom left
plot rows_dw('$1=="width" && $2=="direct" && $5==1048576 && $10==0')   using 3:18 with linespoints lw 2 pt 7 title "1 MiB, latency 0 (streaming)", \
     rows_dw('$1=="width" && $2=="direct" && $5==1048576 && $10==400') using 3:17 with linespoints lw 2 pt 7 title "1 MiB, latency 400 (end to end)", \
     rows_dw('$1=="width" && $2=="direct" && $5==65536 && $10==400')   using 3:17 with linespoints lw 2 pt 7 title "64 KiB, latency 400 (end to end)", \
     rows_dw('$1=="width" && $2=="ring" && $6==256')  using 3:17 with linespoints lw 2 pt 5 title "ring 256 B, latency 0", \
     rows_dw('$1=="width" && $2=="ring" && $6==256')  using 3:21 with lines lw 1 dt 3 lc rgb "black" title "ring 256 B bound", \
     rows_dw('$1=="width" && $2=="ring" && $6==4096') using 3:17 with linespoints lw 2 pt 5 title "ring 4 KiB, latency 0"
unset logscale x
set xrange [*:*]
set xtics autofreq
set key bottom right

# ---- 4. doorbell and completion latencies (latency-0 points)
set output outdir . '/perf_doorbell.png'
set title "Doorbell and completion latencies (64-bit bus, memory latency 0; ring: 256 B descriptors)"
unset logscale
set xlabel ""
set ylabel "cycles"
set style fill solid 0.6 border -1
set boxwidth 0.6
set key top left
first(c, col) = sprintf("awk -F, 'NR>1 && %s {print $%d; exit}' %s", c, col, csv)
d_ar   = real(system(first('$1=="size" && $10==0', 26)))
r_fe   = real(system(first('$1=="ring" && $10==0 && $6==256', 26)))
r_cpl  = real(system(first('$1=="ring" && $10==0 && $6==256', 27)))
d_irq  = real(system(first('$1=="size" && $10==0', 28)))
r_irq  = real(system(first('$1=="ring" && $10==0 && $6==256', 28)))
set yrange [0:(r_irq > d_ar ? r_irq : d_ar) * 1.3 + 1]
set xtics ("doorbell to AR\n(direct)" 0, "doorbell to fetch\n(ring)" 1, "last B to completion\nrecord (ring)" 2, \
           "last B to irq\n(direct)" 3, "last B to irq\n(ring)" 4)
set xrange [-0.6:4.6]
set label 1 sprintf("%.0f", d_ar) at 0, d_ar + 0.4 center
set label 2 sprintf("%.0f", r_fe) at 1, r_fe + 0.4 center
set label 3 sprintf("%.0f", r_cpl) at 2, r_cpl + 0.4 center
set label 4 sprintf("%.0f", d_irq) at 3, d_irq + 0.4 center
set label 5 sprintf("%.0f", r_irq) at 4, r_irq + 0.4 center
set print $LAT
print sprintf("0 %g", d_ar)
print sprintf("1 %g", r_fe)
print sprintf("2 %g", r_cpl)
print sprintf("3 %g", d_irq)
print sprintf("4 %g", r_irq)
unset print
set datafile separator whitespace
set bmargin 4
plot $LAT using 1:2 with boxes lc rgb "steelblue" notitle, \
     3 with lines lw 2 dt 2 lc rgb "red" title "target: doorbell to first read <= 3"
unset label
unset bmargin
set datafile separator ","
set xrange [*:*]
set xtics autofreq
set style fill empty

# ---- 5. PCIe: GB/s per generation and width, with the link's TLP ceiling
# (the AXI bus line assumes the default PCIE_CLK_MHZ=250)
set output outdir . '/perf_pcie.png'
busgb = real(system(first('$1=="pcie"', 3))) / 8.0 * 0.25
set title sprintf("PCIe link model: 1 MiB copy, MPS 256, MRRS 512 (%s-bit AXI bus at 250 MHz = %.1f GB/s)", \
                  system(first('$1=="pcie"', 3)), busgb)
set xlabel "PCIe generation"
set ylabel "GB/s (payload, each direction)"
set logscale y 2
set yrange [0.1:100]
set xrange [0.7:5.3]
set xtics 1
set key top left
lanes = "1 4 8 16"
plot for [i=1:4] rows('$1=="pcie" && $13 ~ /x'.word(lanes, i).'$/') \
        using (substr(strcol(13), 4, 4) + 0):30 with linespoints lw 2 pt 7 lc i title "x".word(lanes, i)." measured", \
     for [i=1:4] rows('$1=="pcie" && $13 ~ /x'.word(lanes, i).'$/') \
        using (substr(strcol(13), 4, 4) + 0):31 with lines lw 1 dt 2 lc i title "x".word(lanes, i)." link TLP ceiling", \
     busgb with lines lw 1 lc rgb "black" dt 3 title "AXI bus"
