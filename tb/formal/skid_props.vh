// SPDX-License-Identifier: Apache-2.0
// skid_props.vh: ferry_skid, the register slice of the registered boundary
// (m_axi AR, AW, W and R in ferry_axi_mux; m_axis and s_axis on the stream
// lanes), included before its `endmodule` by tb/formal/run.sh. Environment:
// skid_env.sv (WIDTH 8, every input free).
//
// Assumed: reset in the first cycle only. Nothing is assumed of in_valid_i,
// in_data_i or out_ready_i: the upstream may even drop its valid.
// Properties
//   K1 out_valid_o, once up, stays up with out_data_o stable until out_ready_i
//   K2 in_ready_o is a register: it does not depend on this cycle's inputs
//      (it equals !skid_valid_q)
//   K3 no item lost or duplicated: items taken minus items given equals the
//      items held (out_valid_q + skid_valid_q), at most two
//   K4 order and data: an arbitrary item taken (the solver picks which, with
//      a free input fv_pick) is the next one given once the items before it
//      are gone, with the data it was taken with
//   K5 load_o / load_data_o name what enters the output register
// Invariants (for the induction): skid_valid_q implies out_valid_q; the
// followed item sits in the output register (position 0) or the skid
// register (1) with its data, and position 1 only while the skid holds one.
`ifdef FORMAL
    reg fv_past = 1'b0;
    always @(posedge clk) fv_past <= 1'b1;

    always @* begin
        if (!fv_past) assume (!rst_n);
        if (fv_past) assume (rst_n);
    end

    wire fv_in_hs = in_valid_i && in_ready_o;
    wire fv_out_hs = out_valid_o && out_ready_i;

    // K3: items held by the count of handshakes
    reg [1:0] fv_held = 2'd0;
    always @(posedge clk) begin
        if (!rst_n) fv_held <= 2'd0;
        else fv_held <= fv_held + {1'b0, fv_in_hs} - {1'b0, fv_out_hs};
    end

    // K4: the followed item. (* anyseq *): a fresh free value every cycle.
    (* anyseq *) wire fv_pick;
    reg             fv_track = 1'b0;    // an item is followed
    reg             fv_pos = 1'b0;      // its place: 0 output register, 1 skid register
    reg [WIDTH-1:0] fv_data = 0;        // its data
    always @(posedge clk) begin
        if (!rst_n) begin
            fv_track <= 1'b0;
        end else if (fv_track) begin
            if (fv_out_hs) begin
                if (fv_pos == 1'b0) fv_track <= 1'b0;   // given (checked below)
                else fv_pos <= 1'b0;
            end
        end else if (fv_in_hs && fv_pick) begin
            fv_track <= 1'b1;
            fv_data <= in_data_i;
            // it goes behind the items that stay: those held less the one given now
            fv_pos <= (fv_held - {1'b0, fv_out_hs}) != 2'd0;
        end
    end

    always @* begin
        if (fv_past && rst_n) begin
            assert (in_ready_o == !skid_valid_q);                          // K2
            assert (!skid_valid_q || out_valid_q);                         // invariant
            assert (fv_held == {1'b0, out_valid_q} + {1'b0, skid_valid_q}); // K3
            if (fv_track) begin                                            // K4
                if (fv_pos == 1'b0) assert (out_valid_q && out_data_q == fv_data);
                else assert (skid_valid_q && skid_data_q == fv_data);
                if (fv_out_hs && fv_pos == 1'b0) assert (out_data_o == fv_data);
            end
            if (load_o) assert (load_data_o == (skid_valid_q ? skid_data_q : in_data_i)); // K5
        end
    end

    always @(posedge clk) begin
        if (fv_past && $past(rst_n) && rst_n) begin
            if ($past(out_valid_o && !out_ready_i)) begin                   // K1
                assert (out_valid_o && out_data_o == $past(out_data_o));
            end
            if ($past(load_o)) begin                                        // K5
                assert (out_valid_o && out_data_o == $past(load_data_o));
            end
        end
    end
`endif
