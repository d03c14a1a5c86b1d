// Device reports and coverage proofs from arbitrary bytes: decoding never crashes, what decodes
// re-encodes to the same bytes (one encoding per value), and ids, signature hashes and verdict
// bytes can be computed on anything that decodes.
#include <algorithm>
#include <cstdlib>
#include <variant>

#include "consensus/poc/verdict.h"
#include "fuzz.h"
#include "primitives/report.h"

static void RequireSame(const cairn::Bytes& again, std::span<const uint8_t> data) {
    if (again.size() != data.size() || !std::equal(again.begin(), again.end(), data.begin())) {
        std::abort();  // two encodings of one value
    }
}

static void Run(std::span<const uint8_t> data) {
    if (auto report = cairn::DecodeReport(data)) {
        RequireSame(cairn::EncodeReport(*report), data);
        (void)cairn::ReportDevice(*report);
        if (const auto* b = std::get_if<cairn::BeaconReport>(&*report)) {
            (void)b->Id();
            (void)b->SigHash(0);
        } else if (const auto* w = std::get_if<cairn::WitnessReport>(&*report)) {
            (void)w->SigHash(0);
        }  // compute reports (kinds 3 and 4): fuzzed in depth by decode_compute
    }
    if (auto proof = cairn::DecodeCoverageProof(data)) {
        cairn::Writer w;
        proof->Serialize(w);
        RequireSame(w.Data(), data);
        (void)proof->Hash();
        (void)cairn::consensus::BeaconVerdictFromByte(proof->beacon_verdict);
        const cairn::Hash256 id = proof->beacon.Id();
        for (const cairn::ProofWitness& pw : proof->witnesses) {
            (void)cairn::consensus::WitnessVerdictFromByte(pw.verdict);
            const cairn::WitnessReport r = pw.ToReport(id);
            if (cairn::ProofWitness::FromReport(r, pw.verdict) != pw) std::abort();
        }
    }
}

CAIRN_FUZZ_TARGET(Run)
