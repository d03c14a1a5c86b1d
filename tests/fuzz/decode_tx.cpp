// Transactions from arbitrary bytes: decoding never crashes, what decodes re-encodes to the
// same bytes (one encoding per value), and the consensus checks accept or reject without
// crashing.
#include <cstdlib>

#include "consensus/params.h"
#include "consensus/tx/tx_type.h"
#include "consensus/tx_check.h"
#include "fuzz.h"
#include "primitives/transaction.h"

static void Run(std::span<const uint8_t> data) {
    auto tx = cairn::DecodeTransaction(data);
    if (!tx) return;
    cairn::Bytes again = tx->ToBytes();
    if (again.size() != data.size() || !std::equal(again.begin(), again.end(), data.begin())) {
        std::abort();  // two encodings of one transaction
    }
    auto params = cairn::consensus::DefaultParams(cairn::Network::kDevnet);
    params.network_id = tx->network_id;
    (void)cairn::consensus::CheckTransaction(*tx, params);
    if (const auto* type = cairn::consensus::FindTxType(tx->type)) {
        (void)type->PayloadToJson(*tx, cairn::Network::kDevnet);
    }
}

CAIRN_FUZZ_TARGET(Run)
