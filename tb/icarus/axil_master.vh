// SPDX-License-Identifier: Apache-2.0
// axil_master.vh: AXI-Lite master tasks for the Icarus test benches
// (ferry_icarus_tb.v, stream_loop_tb.v), included inside the bench module.
// The bench declares the s_axil_* signals as regs/wires, `integer errors`
// (a failed write response counts one) and `localparam TB_NAME` (the
// prefix of its messages).
//   axil_write(addr, data): AW and W together, waits for B (checks OKAY)
//   axil_read(addr, data):  AR, waits for R
    task axil_write;
        input [15:0] addr;
        input [31:0] data;
        reg aw_done, w_done;
        begin
            @(posedge clk);
            #1;
            s_axil_awaddr = addr;
            s_axil_awvalid = 1'b1;
            s_axil_wdata = data;
            s_axil_wvalid = 1'b1;
            s_axil_bready = 1'b1;
            aw_done = 1'b0;
            w_done = 1'b0;
            while (!(aw_done && w_done)) begin
                @(posedge clk);
                if (s_axil_awvalid && s_axil_awready) aw_done = 1'b1;
                if (s_axil_wvalid && s_axil_wready) w_done = 1'b1;
                #1;
                if (aw_done) s_axil_awvalid = 1'b0;
                if (w_done) s_axil_wvalid = 1'b0;
            end
            while (!s_axil_bvalid) begin
                @(posedge clk);
                #1;
            end
            if (s_axil_bresp != 2'b00) begin
                $display("%0s: FAIL: AXI-Lite write 0x%h: BRESP %0d", TB_NAME, addr, s_axil_bresp);
                errors = errors + 1;
            end
            @(posedge clk);
            #1;
            s_axil_bready = 1'b0;
        end
    endtask

    task axil_read;
        input  [15:0] addr;
        output [31:0] data;
        begin
            @(posedge clk);
            #1;
            s_axil_araddr = addr;
            s_axil_arvalid = 1'b1;
            s_axil_rready = 1'b1;
            @(posedge clk);
            while (!s_axil_arready) @(posedge clk);
            #1;
            s_axil_arvalid = 1'b0;
            while (!s_axil_rvalid) begin
                @(posedge clk);
                #1;
            end
            data = s_axil_rdata;
            @(posedge clk);
            #1;
            s_axil_rready = 1'b0;
        end
    endtask
