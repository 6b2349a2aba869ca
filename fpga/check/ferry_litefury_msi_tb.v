// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_litefury_msi_tb: self-checking test of ferry_litefury_msi under
// Icarus (make fpga-check). A bridge model grants each MSI request a few
// cycles later and logs the vector. Checks: one message per rising edge, in
// vector order when several rise together, none while a line stays high, a
// new one after it falls and rises, vector folding to the granted MSI width,
// a lost grant released by the timeout, and the INTx level with MSI off.
// Ends with "N passed, N failed".
module ferry_litefury_msi_tb;

    reg        clk, rst_n;
    reg  [3:0] irq;
    reg        msi_enable;
    reg  [2:0] msi_width;
    reg        grant_en;        // the model grants requests
    wire       req;
    wire [4:0] vec;
    reg        grant;

    integer passed, failed;
    integer nsent;
    reg [4:0] sent [0:31];
    integer   delay;

    ferry_litefury_msi #(
        .NUM_IRQ(4),
        .TIMEOUT_LOG2(4)
    ) dut (
        .clk(clk),
        .rst_n(rst_n),
        .irq_i(irq),
        .msi_enable_i(msi_enable),
        .msi_width_i(msi_width),
        .msi_request_o(req),
        .msi_vector_o(vec),
        .msi_grant_i(grant)
    );

    always #4 clk = ~clk;

    // bridge model: grant 3 cycles after a request pulse
    always @(posedge clk) begin
        grant <= 1'b0;
        if (req && msi_enable) begin
            if (nsent < 32) begin
                sent[nsent] = vec;
            end
            nsent = nsent + 1;
            delay = 3;
        end else if (delay > 0) begin
            delay = delay - 1;
            if (delay == 0 && grant_en) begin
                grant <= 1'b1;
            end
        end
    end

    task check(input ok, input [8*64-1:0] what);
        begin
            if (ok) begin
                passed = passed + 1;
            end else begin
                failed = failed + 1;
                $display("FAIL: %0s", what);
            end
        end
    endtask

    task wait_cycles(input integer n);
        integer k;
        begin
            for (k = 0; k < n; k = k + 1) begin
                @(posedge clk);
            end
        end
    endtask

    initial begin
        clk = 1'b0;
        rst_n = 1'b0;
        irq = 4'd0;
        msi_enable = 1'b1;
        msi_width = 3'd2;
        grant_en = 1'b1;
        grant = 1'b0;
        passed = 0;
        failed = 0;
        nsent = 0;
        delay = 0;
        wait_cycles(3);
        rst_n = 1'b1;
        wait_cycles(2);

        // one rising edge, one message
        irq = 4'b0100;
        wait_cycles(20);
        check(nsent == 1 && sent[0] == 5'd2, "one message, vector 2, for irq[2]");
        // staying high: nothing more
        wait_cycles(20);
        check(nsent == 1, "no message while irq[2] stays high");
        // three rise together: three messages, lowest first
        irq = 4'b1111;
        wait_cycles(40);
        check(nsent == 4 && sent[1] == 5'd0 && sent[2] == 5'd1 && sent[3] == 5'd3,
              "irq[0], [1], [3] rising together: vectors 0, 1, 3 in order");
        // fall and rise again: a new message
        irq = 4'b1011;
        wait_cycles(2);
        irq = 4'b1111;
        wait_cycles(20);
        check(nsent == 5 && sent[4] == 5'd2, "irq[2] falls and rises: vector 2 again");
        // the host granted one vector: everything folds onto vector 0
        irq = 4'b0000;
        msi_width = 3'd0;
        wait_cycles(2);
        irq = 4'b1000;
        wait_cycles(20);
        check(nsent == 6 && sent[5] == 5'd0, "one vector granted: irq[3] uses vector 0");
        // a grant that never comes: the timeout frees the next request
        irq = 4'b0000;
        msi_width = 3'd2;
        grant_en = 1'b0;
        wait_cycles(2);
        irq = 4'b0011;
        wait_cycles(60);
        check(nsent == 7 || nsent == 8, "lost grants: requests go on after the timeout");
        check(nsent == 8 && sent[7] == 5'd1, "lost grants: the second vector is still sent");
        grant_en = 1'b1;
        // MSI off: INTx level follows the OR of the lines
        irq = 4'b0000;
        msi_enable = 1'b0;
        wait_cycles(3);
        check(req == 1'b0, "INTx low while no line is high");
        irq = 4'b0010;
        wait_cycles(3);
        check(req == 1'b1, "INTx high while a line is high");
        irq = 4'b0000;
        wait_cycles(3);
        check(req == 1'b0, "INTx low again");

        $display("ferry_litefury_msi: %0d passed, %0d failed", passed, failed);
        $finish;
    end

endmodule

`resetall
