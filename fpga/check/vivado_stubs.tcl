# SPDX-License-Identifier: Apache-2.0
# ferry: run a board's Vivado Tcl under plain tclsh, every Vivado command a
# stub that checks its arguments (make fpga-check).
#
#   tclsh fpga/check/vivado_stubs.tcl BOARD_DIR TOP OUTDIR
#
# Sources BOARD_DIR/build.tcl with argv = OUTDIR. The stubs check what can be
# checked without Vivado: Tcl syntax and control flow, the commands used (an
# unknown one is an error), files read exist, every create_ip module has a
# lint stub BOARD_DIR/stubs/<name>.v, set_property -dict gets CONFIG.* pairs,
# get_ips names cores created before, synth_design's top is a module of the
# files read; the .xdc is sourced the same way: every get_ports names a port
# (and bit) of TOP, every port bit gets exactly one PACKAGE_PIN and no pin is
# used twice. What Vivado would answer (IP parameter names and values, timing,
# placement) is not checked. Prints "fpga-check: ..." lines; exits 1 on the
# first error.

rename puts tcl_puts
proc puts {args} { tcl_puts {*}$args }
if {[llength $argv] != 3} {
    tcl_puts stderr "usage: tclsh vivado_stubs.tcl BOARD_DIR TOP OUTDIR"
    exit 2
}
lassign $argv ::board_dir ::top ::outdir
set ::board_dir [file normalize $::board_dir]

proc fail {msg} {
    tcl_puts stderr "fpga-check: $msg"
    exit 1
}

set ::ips {}
set ::files_read {}
set ::pins {}            ;# port bit -> pin
set ::pin_owner {}       ;# pin -> port bit
set ::calls 0

# ---- ports of the top module (from its Verilog header)
proc top_ports {file top} {
    set f [open $file r]
    set text [read $f]
    close $f
    # the header: from "module TOP" to the first ");" (ports end the header)
    set start [string first "module $top" $text]
    if {$start < 0} {
        fail "$file: no module $top"
    }
    set end [string first ");" $text $start]
    set ports [string range $text $start $end]
    set result {}
    foreach {-> dir range name} [regexp -all -inline {(input|output|inout)\s+wire\s*(\[[^\]]+\])?\s*(\w+)} $ports] {
        set width 1
        if {$range ne ""} {
            if {![regexp {\[(\d+):(\d+)\]} $range -> msb lsb]} {
                fail "$file: port $name: range $range is not numeric (the check reads literal ranges)"
            }
            set width [expr {$msb - $lsb + 1}]
        }
        dict set result $name $width
    }
    return $result
}

# "name", "name[3]", "name[*]", "{name[3]}" -> list of port bits
proc port_bits {pattern} {
    set pattern [string trim $pattern "{} "]
    if {[regexp {^(\w+)\[(\d+|\*)\]$} $pattern -> name idx]} {
    } elseif {[regexp {^(\w+)$} $pattern -> name]} {
        set idx ""
    } else {
        fail "get_ports $pattern: not a port name, name\[i\] or name\[*\]"
    }
    if {![dict exists $::ports $name]} {
        fail "get_ports $pattern: $::top has no port $name"
    }
    set w [dict get $::ports $name]
    if {$idx eq ""} {
        if {$w == 1} { return [list $name] }
        set idx *
    }
    if {$idx eq "*"} {
        set bits {}
        for {set i 0} {$i < $w} {incr i} { lappend bits "$name\[$i\]" }
        return $bits
    }
    if {$idx >= $w} {
        fail "get_ports $pattern: $name is $w bits wide"
    }
    return [list "$name\[$idx\]"]
}

proc need_file {cmd path} {
    if {![file exists $path]} {
        fail "$cmd: $path does not exist"
    }
}

# ---- stubs of the Vivado commands the board flows use
proc create_project {args} {
    if {[lsearch $args -in_memory] < 0} { fail "create_project: non-project flow wants -in_memory" }
    if {[lsearch $args -part] < 0} { fail "create_project: no -part" }
}
proc current_project {args} { return project }
proc current_design {args} { return design }
proc get_property {prop obj} { return 0.0 }
proc get_timing_paths {args} { return path }

proc set_property {args} {
    incr ::calls
    if {[lindex $args 0] eq "-dict"} {
        set d [lindex $args 1]
        if {[llength $d] % 2 != 0} { fail "set_property -dict: odd-length list $d" }
        foreach {k v} $d {
            if {![string match CONFIG.* $k]} { fail "set_property -dict: key $k is not CONFIG.*" }
        }
        return
    }
    if {[llength $args] != 3} { fail "set_property $args: want PROPERTY VALUE OBJECTS" }
    lassign $args prop value obj
    if {$prop eq "PACKAGE_PIN"} {
        if {[llength $obj] != 1} { fail "PACKAGE_PIN $value: want exactly one port bit, got $obj" }
        set bit [lindex $obj 0]
        if {[dict exists $::pins $bit]} { fail "port $bit has two PACKAGE_PINs ([dict get $::pins $bit], $value)" }
        if {[dict exists $::pin_owner $value]} { fail "pin $value used by [dict get $::pin_owner $value] and $bit" }
        dict set ::pins $bit $value
        dict set ::pin_owner $value $bit
    }
}

proc create_ip {args} {
    incr ::calls
    foreach opt {-vlnv -module_name -dir} {
        set i [lsearch $args $opt]
        if {$i < 0} { fail "create_ip: no $opt" }
        set val($opt) [lindex $args [expr {$i + 1}]]
    }
    if {![regexp {^xilinx\.com:ip:\w+:\d+\.\d+$} $val(-vlnv)]} { fail "create_ip: odd VLNV $val(-vlnv)" }
    set name $val(-module_name)
    if {[lsearch $::ips $name] >= 0} { fail "create_ip: $name created twice" }
    need_file "create_ip $name (lint stub)" [file join $::board_dir stubs $name.v]
    lappend ::ips $name
}
proc get_ips {names} {
    foreach n $names {
        if {[lsearch $::ips $n] < 0} { fail "get_ips: no core named $n was created" }
    }
    return $names
}
proc generate_target {what ips} { incr ::calls }
proc synth_ip {ips} { incr ::calls }

proc read_verilog {files} {
    foreach f $files {
        need_file read_verilog $f
        lappend ::files_read $f
    }
}
proc read_xdc {file} {
    need_file read_xdc $file
    # An .xdc is Tcl: source it under the same stubs.
    uplevel #0 [list source $file]
    set ::xdc_read 1
}
proc get_ports {pattern} {
    set bits {}
    foreach p $pattern { lappend bits {*}[port_bits $p] }
    return $bits
}
proc create_clock {args} { incr ::calls }
proc set_false_path {args} { incr ::calls }

proc synth_design {args} {
    set i [lsearch $args -top]
    if {$i < 0} { fail "synth_design: no -top" }
    set t [lindex $args [expr {$i + 1}]]
    set found 0
    foreach f $::files_read {
        set h [open $f r]
        set text [read $h]
        close $h
        if {[regexp "(^|\n)module\\s+$t\\M" $text]} { set found 1 }
    }
    if {!$found} { fail "synth_design -top $t: no such module in the files read" }
    set j [lsearch $args -include_dirs]
    if {$j >= 0} {
        foreach d [lindex $args [expr {$j + 1}]] { need_file "synth_design -include_dirs" $d }
    }
    set ::synthesized 1
}
foreach cmd {opt_design place_design phys_opt_design route_design report_utilization
             report_timing_summary report_clocks write_checkpoint write_bitstream write_cfgmem} {
    proc $cmd {args} { incr ::calls }
}

proc unknown {args} {
    fail "unknown command '[lindex $args 0]': not a Vivado command this check stubs (typo?)"
}

# ---- run
set topfile [file join $::board_dir $::top.v]
need_file "top" $topfile
set ::ports [top_ports $topfile $::top]
# What build.tcl prints is not true of a stubbed run: mark it.
proc puts {args} {
    if {[llength $args] == 1} {
        tcl_puts "  (stubbed run) [lindex $args 0]"
    } else {
        tcl_puts {*}$args
    }
}
set ::argv [list $::outdir]
set ::argc 1
if {[catch {source [file join $::board_dir build.tcl]} err]} {
    fail "build.tcl: $err"
}
if {![info exists ::synthesized]} { fail "build.tcl never called synth_design" }
if {![info exists ::xdc_read]} { fail "build.tcl never read an .xdc" }

# every port bit pinned
dict for {name w} $::ports {
    set bits [expr {$w == 1 ? [list $name] : [port_bits "$name\[*\]"]}]
    foreach b $bits {
        if {![dict exists $::pins $b]} { fail "port bit $b of $::top has no PACKAGE_PIN" }
    }
}
tcl_puts "fpga-check: [file tail $::board_dir]/build.tcl runs under tclsh with Vivado stubbed:\
 [llength $::ips] cores ($::ips), [llength $::files_read] Verilog files,\
 [dict size $::pins] port bits pinned on distinct pins"
