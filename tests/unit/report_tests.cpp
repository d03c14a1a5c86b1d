// Device report encodings (primitives/report.h): exact layouts and sizes, round trips, what the
// signatures and ids commit to, and the decoders' rejections; a block with proofs through
// DecodeBlock.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <variant>

#include "consensus/tx_check.h"
#include "depin_test_util.h"
#include "primitives/block.h"
#include "primitives/report.h"

namespace cairn {
namespace {

using test::TestKey;
using test::TestPubKey;

constexpr uint32_t kNet = 7;

BeaconReport SampleBeacon() {
    BeaconReport b;
    b.beaconer = TestPubKey(1000);
    b.entropy_height = 0x0102030405060708;
    for (size_t i = 0; i < b.payload.size(); ++i) b.payload[i] = static_cast<uint8_t>(0xa0 + i);
    b.frequency_hz = 868'100'000;
    b.channel = 3;
    b.datarate = 5;
    b.tx_power_ddbm = -25;
    test::SignBeacon(b, TestKey(1000), kNet);
    return b;
}

WitnessReport SampleWitness(const BeaconReport& b, uint64_t key = 1001) {
    WitnessReport w;
    w.witness = TestPubKey(key);
    w.beacon_id = b.Id();
    w.rssi_ddbm = -1'234;
    w.snr_ddb = -75;
    w.frequency_hz = 868'100'250;
    w.signature = TestKey(key).Sign(w.SigHash(kNet), test::kTestAux);
    return w;
}

CoverageProof SampleProof(size_t n_witnesses) {
    CoverageProof p;
    p.beacon = SampleBeacon();
    p.beacon_verdict = 0;
    for (size_t i = 0; i < n_witnesses; ++i) {
        p.witnesses.push_back(ProofWitness::FromReport(SampleWitness(p.beacon, 1001 + i),
                                                       static_cast<uint8_t>(i % 14)));
    }
    return p;
}

Bytes Encode(const CoverageProof& p) {
    Writer w;
    p.Serialize(w);
    return w.Take();
}

template <typename T>
DecodeErrorCode ErrorOf(const DecodeResult<T>& r) {
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? DecodeErrorCode::kInvalidValue : r.error().code;
}

// ---- Layouts and sizes ---------------------------------------------------------------------

TEST(ReportEncodingTest, BeaconLayoutAndSize) {
    const BeaconReport b = SampleBeacon();
    Writer w;
    b.Serialize(w);
    const Bytes& enc = w.Data();
    ASSERT_EQ(enc.size(), 128u);
    EXPECT_TRUE(std::equal(b.beaconer.bytes.begin(), b.beaconer.bytes.end(), enc.begin()));
    // entropy height: u64 little-endian at offset 32.
    for (size_t i = 0; i < 8; ++i) EXPECT_EQ(size_t{enc[32 + i]}, 8 - i) << i;
    EXPECT_TRUE(std::equal(b.payload.begin(), b.payload.end(), enc.begin() + 40));
    EXPECT_EQ(enc[56] | enc[57] << 8 | enc[58] << 16 | uint32_t{enc[59]} << 24, 868'100'000u);
    EXPECT_EQ(enc[60], 3);
    EXPECT_EQ(enc[61], 5);
    // -25 as a two's-complement i16: 0xffe7.
    EXPECT_EQ(enc[62], 0xe7);
    EXPECT_EQ(enc[63], 0xff);
    EXPECT_TRUE(std::equal(b.signature.bytes.begin(), b.signature.bytes.end(), enc.begin() + 64));

    const Bytes standalone = EncodeReport(b);
    EXPECT_EQ(standalone.size(), 129u);
    EXPECT_EQ(standalone[0], static_cast<uint8_t>(ReportKind::kBeacon));
    EXPECT_TRUE(std::equal(enc.begin(), enc.end(), standalone.begin() + 1));
}

TEST(ReportEncodingTest, WitnessLayoutAndSize) {
    const WitnessReport wr = SampleWitness(SampleBeacon());
    Writer w;
    wr.Serialize(w);
    // 32 key + 32 beacon id + 2 RSSI + 2 SNR + 4 frequency + 64 signature.
    ASSERT_EQ(w.Data().size(), 136u);
    const Bytes standalone = EncodeReport(wr);
    EXPECT_EQ(standalone.size(), 137u);
    EXPECT_EQ(standalone[0], static_cast<uint8_t>(ReportKind::kWitness));
    const Bytes& enc = w.Data();
    EXPECT_TRUE(std::equal(wr.beacon_id.bytes.begin(), wr.beacon_id.bytes.end(), enc.begin() + 32));
    EXPECT_EQ(enc[64] | enc[65] << 8, 0x10000 - 1'234);  // RSSI -1234 as i16
    EXPECT_EQ(enc[66] | enc[67] << 8, 0x10000 - 75);
    EXPECT_TRUE(std::equal(wr.signature.bytes.begin(), wr.signature.bytes.end(), enc.begin() + 72));
}

TEST(ReportEncodingTest, CoverageProofSizes) {
    // beacon 128 + verdict 1 + witness count 1 (varint < 128) + 105 per witness (key 32, RSSI 2,
    // SNR 2, frequency 4, signature 64, verdict 1; no beacon id).
    EXPECT_EQ(Encode(SampleProof(0)).size(), 130u);
    EXPECT_EQ(Encode(SampleProof(1)).size(), 235u);
    const size_t with14 = Encode(SampleProof(14)).size();
    const size_t with32 = Encode(SampleProof(32)).size();
    EXPECT_EQ(with14, 128u + 1 + 1 + 14 * 105);
    EXPECT_EQ(with14, 1'600u);
    EXPECT_EQ(with32, 3'490u);
    // 128 witnesses need a two-byte count.
    EXPECT_EQ(Encode(SampleProof(128)).size(), 128u + 1 + 2 + 128 * 105);
    std::cout << "[ sizes    ] beacon " << EncodeReport(SampleBeacon()).size()
              << " B standalone, witness " << EncodeReport(SampleWitness(SampleBeacon())).size()
              << " B standalone, proof with 14 witnesses " << with14 << " B, with 32 " << with32
              << " B\n";
}

// ---- Round trips ---------------------------------------------------------------------------

TEST(ReportEncodingTest, ReportsRoundTrip) {
    const BeaconReport b = SampleBeacon();
    const Bytes be = EncodeReport(b);
    auto bd = DecodeReport(be);
    ASSERT_TRUE(bd.has_value()) << bd.error().ToString();
    ASSERT_TRUE(std::holds_alternative<BeaconReport>(*bd));
    EXPECT_EQ(std::get<BeaconReport>(*bd), b);
    EXPECT_EQ(EncodeReport(*bd), be);
    EXPECT_EQ(ReportDevice(*bd), b.beaconer);

    const WitnessReport w = SampleWitness(b);
    const Bytes we = EncodeReport(w);
    auto wd = DecodeReport(we);
    ASSERT_TRUE(wd.has_value()) << wd.error().ToString();
    ASSERT_TRUE(std::holds_alternative<WitnessReport>(*wd));
    EXPECT_EQ(std::get<WitnessReport>(*wd), w);
    EXPECT_EQ(EncodeReport(*wd), we);
    EXPECT_EQ(ReportDevice(*wd), w.witness);

    // Extreme field values survive.
    BeaconReport x = b;
    x.entropy_height = UINT64_MAX;
    x.frequency_hz = UINT32_MAX;
    x.channel = 255;
    x.datarate = 255;
    x.tx_power_ddbm = INT16_MIN;
    auto xd = DecodeReport(EncodeReport(x));
    ASSERT_TRUE(xd.has_value());
    EXPECT_EQ(std::get<BeaconReport>(*xd), x);
}

TEST(ReportEncodingTest, CoverageProofRoundTrip) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{14}, size_t{32}, size_t{256}}) {
        const CoverageProof p = SampleProof(n);
        const Bytes enc = Encode(p);
        auto d = DecodeCoverageProof(enc);
        ASSERT_TRUE(d.has_value()) << n << ": " << d.error().ToString();
        EXPECT_EQ(*d, p) << n;
        EXPECT_EQ(Encode(*d), enc) << n;
        EXPECT_EQ(d->Hash(), p.Hash());
    }
}

TEST(ReportEncodingTest, ProofWitnessStandsForItsReport) {
    const BeaconReport b = SampleBeacon();
    const WitnessReport w = SampleWitness(b);
    const ProofWitness pw = ProofWitness::FromReport(w, 12);
    EXPECT_EQ(pw.verdict, 12);
    EXPECT_EQ(pw.ToReport(b.Id()), w);
    // The report's signature verifies against the recomputed beacon id only.
    EXPECT_TRUE(VerifySchnorr(w.witness, pw.ToReport(b.Id()).SigHash(kNet), pw.signature));
    BeaconReport other = b;
    other.datarate += 1;
    EXPECT_FALSE(VerifySchnorr(w.witness, pw.ToReport(other.Id()).SigHash(kNet), pw.signature));
}

// ---- What signatures, ids and hashes commit to ---------------------------------------------

TEST(ReportEncodingTest, SignaturesCommitToTheNetwork) {
    const BeaconReport b = SampleBeacon();
    const WitnessReport w = SampleWitness(b);
    EXPECT_NE(b.SigHash(kNet), b.SigHash(kNet + 1));
    EXPECT_NE(w.SigHash(kNet), w.SigHash(kNet + 1));
    EXPECT_TRUE(VerifySchnorr(b.beaconer, b.SigHash(kNet), b.signature));
    EXPECT_FALSE(VerifySchnorr(b.beaconer, b.SigHash(kNet + 1), b.signature));
    EXPECT_TRUE(VerifySchnorr(w.witness, w.SigHash(kNet), w.signature));
    EXPECT_FALSE(VerifySchnorr(w.witness, w.SigHash(kNet + 1), w.signature));

    // The block's checker: a proof signed for network 7 verifies there and nowhere else.
    const consensus::SignatureChecker checker;
    const CoverageProof p = SampleProof(3);
    EXPECT_TRUE(checker.VerifyReports(p, kNet));
    EXPECT_FALSE(checker.VerifyReports(p, kNet + 1));
    EXPECT_FALSE(checker.VerifyReports(p, 0));
    // Any one bad signature fails the proof.
    for (size_t i = 0; i < p.witnesses.size(); ++i) {
        CoverageProof bad = p;
        bad.witnesses[i].signature.bytes[10] ^= 1;
        EXPECT_FALSE(checker.VerifyReports(bad, kNet)) << i;
        bad = p;
        bad.witnesses[i].frequency_hz += 1;  // signed field changed
        EXPECT_FALSE(checker.VerifyReports(bad, kNet)) << i;
        bad = p;
        bad.witnesses[i].verdict = 5;  // the verdict is not signed by the device
        EXPECT_TRUE(checker.VerifyReports(bad, kNet)) << i;
    }
    CoverageProof bad_beacon = p;
    bad_beacon.beacon.tx_power_ddbm += 1;
    EXPECT_FALSE(checker.VerifyReports(bad_beacon, kNet));
}

TEST(ReportEncodingTest, BeaconIdChangesWithEveryField) {
    const BeaconReport b = SampleBeacon();
    const Hash256 id = b.Id();
    std::vector<BeaconReport> variants(8, b);
    variants[0].beaconer = TestPubKey(2000);
    variants[1].entropy_height += 1;
    variants[2].payload[15] ^= 1;
    variants[3].frequency_hz += 1;
    variants[4].channel += 1;
    variants[5].datarate += 1;
    variants[6].tx_power_ddbm += 1;
    variants[7].signature.bytes[63] ^= 1;  // the id covers the signature too
    for (size_t i = 0; i < variants.size(); ++i) {
        EXPECT_NE(variants[i].Id(), id) << i;
        if (i < 7) {
            EXPECT_NE(variants[i].SigHash(kNet), b.SigHash(kNet)) << i;
        }
    }
    // The signature is not part of what is signed.
    EXPECT_EQ(variants[7].SigHash(kNet), b.SigHash(kNet));
    // The id is TaggedHash("Cairn/BeaconId", the 128-byte encoding).
    Writer w;
    b.Serialize(w);
    EXPECT_EQ(id, TaggedHash("Cairn/BeaconId", w.Data()));
}

TEST(ReportEncodingTest, WitnessSigHashCoversEveryField) {
    const WitnessReport w = SampleWitness(SampleBeacon());
    std::vector<WitnessReport> variants(5, w);
    variants[0].witness = TestPubKey(2001);
    variants[1].beacon_id.bytes[0] ^= 1;
    variants[2].rssi_ddbm += 1;
    variants[3].snr_ddb += 1;
    variants[4].frequency_hz += 1;
    for (size_t i = 0; i < variants.size(); ++i) {
        EXPECT_NE(variants[i].SigHash(kNet), w.SigHash(kNet)) << i;
    }
}

TEST(ReportEncodingTest, ProofHashCoversVerdicts) {
    const CoverageProof p = SampleProof(2);
    CoverageProof q = p;
    q.beacon_verdict = 1;
    EXPECT_NE(q.Hash(), p.Hash());
    q = p;
    q.witnesses[1].verdict ^= 1;
    EXPECT_NE(q.Hash(), p.Hash());
    q = p;
    std::swap(q.witnesses[0], q.witnesses[1]);
    EXPECT_NE(q.Hash(), p.Hash());
    EXPECT_EQ(p.Hash(), TaggedHash("Cairn/CoverageProof", Encode(p)));
}

// ---- Decoder rejections --------------------------------------------------------------------

TEST(ReportDecodeTest, RejectsUnknownKind) {
    Bytes enc = EncodeReport(SampleBeacon());
    for (uint8_t kind : {uint8_t{0}, uint8_t{5}, uint8_t{0x81}, uint8_t{255}}) {
        enc[0] = kind;
        EXPECT_EQ(ErrorOf(DecodeReport(enc)), DecodeErrorCode::kUnknownEnum) << int{kind};
    }
    EXPECT_EQ(ErrorOf(DecodeReport(Bytes{5})), DecodeErrorCode::kUnknownEnum);
    EXPECT_EQ(ErrorOf(DecodeReport(Bytes{})), DecodeErrorCode::kTruncated);
}

TEST(ReportDecodeTest, RejectsTruncation) {
    for (const Bytes& enc :
         {EncodeReport(SampleBeacon()), EncodeReport(SampleWitness(SampleBeacon()))}) {
        for (size_t n = 0; n < enc.size(); ++n) {
            EXPECT_EQ(ErrorOf(DecodeReport(ByteSpan{enc}.first(n))), DecodeErrorCode::kTruncated)
                << n;
        }
    }
    const Bytes proof = Encode(SampleProof(3));
    for (size_t n = 0; n < proof.size(); ++n) {
        EXPECT_EQ(ErrorOf(DecodeCoverageProof(ByteSpan{proof}.first(n))),
                  DecodeErrorCode::kTruncated)
            << n;
    }
}

TEST(ReportDecodeTest, RejectsTrailingBytes) {
    for (Bytes enc : {EncodeReport(SampleBeacon()), EncodeReport(SampleWitness(SampleBeacon())),
                      Encode(SampleProof(2))}) {
        const bool is_proof = enc.size() == 130 + 2 * 105;
        enc.push_back(0x00);
        if (is_proof) {
            EXPECT_EQ(ErrorOf(DecodeCoverageProof(enc)), DecodeErrorCode::kTrailingBytes);
        } else {
            EXPECT_EQ(ErrorOf(DecodeReport(enc)), DecodeErrorCode::kTrailingBytes);
        }
    }
    // A beacon report with a witness report's length (the kind decides the length).
    Bytes beacon = EncodeReport(SampleBeacon());
    beacon.resize(137, 0);
    EXPECT_EQ(ErrorOf(DecodeReport(beacon)), DecodeErrorCode::kTrailingBytes);
}

TEST(ReportDecodeTest, ProofWitnessCount) {
    // Over the decoding bound of 256 witnesses.
    Writer w;
    SampleBeacon().Serialize(w);
    w.Int(uint8_t{0});
    w.VarInt(kMaxProofWitnessesDecode + 1);
    EXPECT_EQ(ErrorOf(DecodeCoverageProof(w.Data())), DecodeErrorCode::kInvalidValue);
    // A count larger than the witnesses present.
    Bytes enc = Encode(SampleProof(2));
    enc[129] = 3;
    EXPECT_EQ(ErrorOf(DecodeCoverageProof(enc)), DecodeErrorCode::kTruncated);
    // Fewer: the last witness is left over.
    enc[129] = 1;
    EXPECT_EQ(ErrorOf(DecodeCoverageProof(enc)), DecodeErrorCode::kTrailingBytes);
    // A non-minimal count (0 as 0x80 0x00).
    Bytes zero = Encode(SampleProof(0));
    ASSERT_EQ(zero.back(), 0x00);
    zero.back() = 0x80;
    zero.push_back(0x00);
    EXPECT_EQ(ErrorOf(DecodeCoverageProof(zero)), DecodeErrorCode::kNonMinimalVarInt);
}

// ---- A block with proofs -------------------------------------------------------------------

TEST(ReportBlockTest, BlockWithProofsRoundTrips) {
    test::DepinChain chain;
    const size_t a = chain.AddRadio(0, test::kBerlin);
    const size_t b = chain.AddRadio(1, test::OffsetMeters(test::kBerlin, 2'000, 0));
    const size_t c = chain.AddRadio(2, test::OffsetMeters(test::kBerlin, 0, 2'000));
    chain.Onboard({a, b, c});
    std::vector<CoverageProof> proofs;
    for (auto [r, w] : std::vector<std::pair<size_t, size_t>>{{a, b}, {b, c}, {c, a}}) {
        CoverageProof p;
        p.beacon = chain.Beacon(r, chain.Height());
        p.witnesses = {chain.Witness(w, p.beacon), chain.Witness(r == a ? c : a, p.beacon)};
        proofs.push_back(p);
    }
    const Transaction tx =
        chain.Transfer(0, test::TestPubKey(50), kCoin, chain.Nonce(chain.AccountKey(0)));
    auto assembled = chain.Assemble({tx}, chain.Judge(proofs));
    ASSERT_TRUE(assembled.has_value()) << assembled.error().ToString();
    const Block& block = assembled->block;
    ASSERT_EQ(block.proofs.size(), 3u);

    const Bytes enc = block.ToBytes();
    auto d = DecodeBlock(enc);
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    EXPECT_EQ(*d, block);
    EXPECT_EQ(d->ToBytes(), enc);
    EXPECT_EQ(d->Hash(), block.Hash());
    EXPECT_EQ(consensus::ComputeProofRoot(d->proofs), block.header.proof_root);
    // The decoded block is as valid as the original.
    EXPECT_ACCEPT(chain.Connect(*d));
    // Truncated or extended, it does not decode.
    EXPECT_FALSE(DecodeBlock(ByteSpan{enc}.first(enc.size() - 1)).has_value());
    Bytes longer = enc;
    longer.push_back(0);
    EXPECT_EQ(ErrorOf(DecodeBlock(longer)), DecodeErrorCode::kTrailingBytes);
}

}  // namespace
}  // namespace cairn
