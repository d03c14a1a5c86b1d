// Compute reports and compute entries from arbitrary bytes: decoding never crashes, what decodes
// re-encodes to the same bytes (one encoding per value), and device, bucket, signature hash and
// entry hash can be computed on anything that decodes.
#include <algorithm>
#include <cstdlib>
#include <variant>

#include "consensus/compute/compute_verdict.h"
#include "fuzz.h"
#include "primitives/compute_report.h"
#include "primitives/report.h"

static void RequireSame(const cairn::Bytes& again, std::span<const uint8_t> data) {
    if (again.size() != data.size() || !std::equal(again.begin(), again.end(), data.begin())) {
        std::abort();  // two encodings of one value
    }
}

static void UseReport(const cairn::ComputeReport& r) {
    (void)cairn::ComputeReportDevice(r);
    (void)cairn::ComputeReportBucket(r);
    (void)cairn::ComputeReportSignature(r);
    if (cairn::ComputeReportSigHash(r, 0) == cairn::ComputeReportSigHash(r, 1)) std::abort();
}

static void Run(std::span<const uint8_t> data) {
    if (auto report = cairn::DecodeReport(data)) {
        RequireSame(cairn::EncodeReport(*report), data);
        (void)cairn::ReportDevice(*report);
        if (const auto* c = std::get_if<cairn::ComputeCommit>(&*report)) {
            UseReport(*c);
        } else if (const auto* o = std::get_if<cairn::ComputeOpen>(&*report)) {
            if (o->tiles.size() > cairn::kMaxOpenTilesDecode) std::abort();
            for (const cairn::OpenedTile& t : o->tiles) {
                if (t.cells.size() > cairn::kMaxTileCellsDecode) std::abort();
                if (t.path.size() > cairn::kMaxTilePathDecode) std::abort();
            }
            UseReport(*o);
        }
    }
    if (auto entry = cairn::DecodeComputeEntry(data)) {
        cairn::Writer w;
        entry->Serialize(w);
        RequireSame(w.Data(), data);
        (void)entry->Hash();
        (void)cairn::consensus::ComputeVerdictFromByte(entry->verdict);
        UseReport(entry->report);
        // An entry is its report's encoding (kind byte included) then verdict and detail.
        const cairn::Bytes report = std::visit(
            [](const auto& r) { return cairn::EncodeReport(cairn::Report{r}); }, entry->report);
        if (report.size() + 5 != data.size() ||
            !std::equal(report.begin(), report.end(), data.begin())) {
            std::abort();
        }
        auto again = cairn::DecodeReport(std::span<const uint8_t>{data}.first(report.size()));
        if (!again) std::abort();
    }
}

CAIRN_FUZZ_TARGET(Run)
