// Addresses and amounts from arbitrary strings: no crash; what decodes re-encodes (addresses
// in lower case, amounts in canonical form parse back to the same value).
#include <cstdlib>
#include <string>

#include "fuzz.h"
#include "primitives/address.h"
#include "primitives/amount.h"

static void Run(std::span<const uint8_t> data) {
    std::string s(data.begin(), data.end());
    for (auto net : {cairn::Network::kMain, cairn::Network::kDevnet}) {
        if (auto pk = cairn::DecodeAddress(net, s)) {
            auto again = cairn::DecodeAddress(net, cairn::EncodeAddress(net, *pk));
            if (!again || *again != *pk) std::abort();
        }
    }
    if (auto a = cairn::ParseAmount(s)) {
        auto back = cairn::ParseAmount(cairn::FormatAmount(*a));
        if (!back || *back != *a) std::abort();
    }
}

CAIRN_FUZZ_TARGET(Run)
