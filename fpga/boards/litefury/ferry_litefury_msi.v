// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

// ferry_litefury_msi: ferry's level interrupt lines to the MSI request
// interface of the Xilinx AXI Memory Mapped to PCI Express bridge (axi_pcie,
// PG055): INTX_MSI_Request, MSI_Vector_Num, INTX_MSI_Grant, MSI_enable,
// MSI_Vector_Width.
//
// MSI enabled: a rising edge of irq_i[c] makes vector c pending; one pending
// vector at a time (the lowest) is requested with a one-cycle
// msi_request_o pulse and msi_vector_o held until msi_grant_i, then the
// next. A line that stays high sends no further message until it falls and
// rises again (the driver clears STATUS and re-reads it, docs/bringup.md).
// When the host allocated fewer vectors than channels (2^msi_width_i),
// channel c uses vector c mod 2^msi_width_i. A request that sees no grant
// within 2^TIMEOUT_LOG2 cycles is dropped, so a lost grant cannot stall
// the others.
//
// MSI disabled: msi_request_o is the legacy INTx level, high while any
// line is high (the bridge sends Assert_INTA / Deassert_INTA on its edges).
//
// Parameters
//   NUM_IRQ       interrupt lines, 1..32
//   TIMEOUT_LOG2  grant timeout, 4..24 (cycles as a power of two)
module ferry_litefury_msi #(
    parameter NUM_IRQ = 4,
    parameter TIMEOUT_LOG2 = 16
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire [NUM_IRQ-1:0] irq_i,
    input  wire               msi_enable_i,
    input  wire [2:0]         msi_width_i,    // log2 of vectors granted by the host
    output wire               msi_request_o,
    output wire [4:0]         msi_vector_o,
    input  wire               msi_grant_i
);

    generate
        if (NUM_IRQ < 1 || NUM_IRQ > 32) begin : g_bad_n
            ferry_litefury_msi_NUM_IRQ_must_be_1_to_32 u_bad();
        end
        if (TIMEOUT_LOG2 < 4 || TIMEOUT_LOG2 > 24) begin : g_bad_t
            ferry_litefury_msi_TIMEOUT_LOG2_must_be_4_to_24 u_bad();
        end
    endgenerate

    reg [NUM_IRQ-1:0]      irq_q, irq_d;       // lines last cycle (edge detect)
    reg [NUM_IRQ-1:0]      pend_q, pend_d;     // rising edges not yet sent
    reg                    busy_q, busy_d;     // a request waits for its grant
    reg                    req_q, req_d;       // request pulse / INTx level
    reg [4:0]              vec_q, vec_d;
    reg [TIMEOUT_LOG2-1:0] wait_q, wait_d;

    // lowest pending line
    reg [4:0]         pick;
    reg [NUM_IRQ-1:0] pick_oh;
    reg               any;
    integer           i;
    always @* begin
        pick = 5'd0;
        pick_oh = {NUM_IRQ{1'b0}};
        any = 1'b0;
        for (i = NUM_IRQ - 1; i >= 0; i = i - 1) begin
            if (pend_q[i]) begin
                pick = i[4:0];
                pick_oh = {NUM_IRQ{1'b0}};
                pick_oh[i] = 1'b1;
                any = 1'b1;
            end
        end
    end

    wire [4:0] vec_mask = ~(5'h1f << msi_width_i);

    always @* begin
        irq_d = irq_i;
        pend_d = pend_q | (irq_i & ~irq_q);
        busy_d = busy_q;
        req_d = 1'b0;
        vec_d = vec_q;
        wait_d = wait_q;
        if (!msi_enable_i) begin
            pend_d = {NUM_IRQ{1'b0}};
            busy_d = 1'b0;
            req_d = |irq_i;
        end else if (busy_q) begin
            wait_d = wait_q + 1'b1;
            if (msi_grant_i || wait_q == {TIMEOUT_LOG2{1'b1}}) begin
                busy_d = 1'b0;
            end
        end else if (any) begin
            pend_d = pend_d & ~pick_oh;
            busy_d = 1'b1;
            req_d = 1'b1;
            vec_d = pick & vec_mask;
            wait_d = {TIMEOUT_LOG2{1'b0}};
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            irq_q <= {NUM_IRQ{1'b0}};
            pend_q <= {NUM_IRQ{1'b0}};
            busy_q <= 1'b0;
            req_q <= 1'b0;
            vec_q <= 5'd0;
            wait_q <= {TIMEOUT_LOG2{1'b0}};
        end else begin
            irq_q <= irq_d;
            pend_q <= pend_d;
            busy_q <= busy_d;
            req_q <= req_d;
            vec_q <= vec_d;
            wait_q <= wait_d;
        end
    end

    assign msi_request_o = req_q;
    assign msi_vector_o = vec_q;

endmodule

`resetall
