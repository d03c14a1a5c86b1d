// Canonical serialization: varints, byte vectors, and transaction/block round trips.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "crypto/keys.h"
#include "primitives/block.h"
#include "primitives/serialize.h"
#include "primitives/transaction.h"
#include "util/strencodings.h"

namespace cairn {
namespace {

Bytes EncodeVarInt(uint64_t v) {
    Writer w;
    w.VarInt(v);
    return w.Take();
}

// Decodes one varint that must fill the whole input.
DecodeResult<uint64_t> DecodeVarInt(const Bytes& in) {
    Reader r{in};
    uint64_t v = 0;
    if (!r.VarInt(v, "v") || !r.ExpectEnd("v")) return MakeError(r.Error());
    return v;
}

TEST(SerializeTest, VarIntEncodingsAtBoundaries) {
    struct {
        uint64_t value;
        std::string hex;
    } const cases[] = {
        {0, "00"},
        {1, "01"},
        {127, "7f"},
        {128, "8001"},
        {255, "ff01"},
        {300, "ac02"},
        {16383, "ff7f"},
        {16384, "808001"},
        {uint64_t{1} << 32, "8080808010"},
        {UINT32_MAX, "ffffffff0f"},
        {(uint64_t{1} << 63) - 1, "ffffffffffffffff7f"},
        {uint64_t{1} << 63, "80808080808080808001"},
        {UINT64_MAX, "ffffffffffffffffff01"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.value);
        const Bytes enc = EncodeVarInt(c.value);
        EXPECT_EQ(HexStr(enc), c.hex);
        auto dec = DecodeVarInt(enc);
        ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
        EXPECT_EQ(*dec, c.value);
    }
}

TEST(SerializeTest, VarIntRoundTripEveryBitLength) {
    for (int bits = 0; bits <= 64; ++bits) {
        for (uint64_t v : {bits == 0 ? uint64_t{0} : (UINT64_MAX >> (64 - bits)),
                           bits == 0 ? uint64_t{0} : uint64_t{1} << (bits - 1)}) {
            const Bytes enc = EncodeVarInt(v);
            // Length is ceil(bits / 7), at least 1.
            const int significant = v == 0 ? 0 : 64 - __builtin_clzll(v);
            EXPECT_EQ(enc.size(), static_cast<size_t>(std::max(1, (significant + 6) / 7)));
            auto dec = DecodeVarInt(enc);
            ASSERT_TRUE(dec.has_value());
            EXPECT_EQ(*dec, v);
        }
    }
}

DecodeErrorCode VarIntError(const std::string& hex) {
    auto in = ParseHex(hex);
    EXPECT_TRUE(in.has_value());
    auto dec = DecodeVarInt(*in);
    EXPECT_FALSE(dec.has_value()) << hex;
    return dec.has_value() ? DecodeErrorCode::kInvalidValue : dec.error().code;
}

TEST(SerializeTest, VarIntRejectsNonMinimal) {
    for (const char* hex : {
             "8000",                  // 0 in two bytes
             "8100",                  // 1 in two bytes
             "ff00",                  // 127 in two bytes
             "808000",                // 0 in three bytes
             "ff8000",                // 127 in three bytes
             "80808080808080808000",  // 0 in ten bytes
             "ffffffffffffffffff00",  // 2^63 - 1 in ten bytes
         }) {
        EXPECT_EQ(VarIntError(hex), DecodeErrorCode::kNonMinimalVarInt) << hex;
    }
}

TEST(SerializeTest, VarIntRejectsOverflow) {
    for (const char* hex : {
             "ffffffffffffffffff02",    // 10th byte > 1: 2^64
             "ffffffffffffffffff7f",    // 10th byte 0x7f
             "80808080808080808002",    // 2^64 exactly
             "ffffffffffffffffff81",    // 10th byte with continuation bit
             "ffffffffffffffffff8100",  // 11 bytes
             "8080808080808080808001",  // 11 bytes
             "ffffffffffffffffffffff01",
         }) {
        EXPECT_EQ(VarIntError(hex), DecodeErrorCode::kVarIntOverflow) << hex;
    }
}

TEST(SerializeTest, VarIntRejectsTruncated) {
    for (const char* hex : {"", "80", "ff", "8080", "ffffffffffffffffff"}) {
        EXPECT_EQ(VarIntError(hex), DecodeErrorCode::kTruncated) << hex;
    }
    // Every strict prefix of a multi-byte encoding is truncated.
    const Bytes full = EncodeVarInt(UINT64_MAX);
    for (size_t len = 0; len < full.size(); ++len) {
        Reader r{ByteSpan{full}.first(len)};
        uint64_t v = 0;
        EXPECT_FALSE(r.VarInt(v, "v"));
        EXPECT_EQ(r.Error().code, DecodeErrorCode::kTruncated);
    }
}

TEST(SerializeTest, VarIntMax) {
    const Bytes enc = EncodeVarInt(uint64_t{UINT32_MAX} + 1);
    Reader r{enc};
    uint64_t v = 0;
    EXPECT_FALSE(r.VarIntMax(v, UINT32_MAX, "field"));
    EXPECT_EQ(r.Error().code, DecodeErrorCode::kInvalidValue);
    EXPECT_EQ(r.Error().field, "field");

    const Bytes ok = EncodeVarInt(UINT32_MAX);
    Reader r2{ok};
    EXPECT_TRUE(r2.VarIntMax(v, UINT32_MAX, "field"));
    EXPECT_EQ(v, UINT32_MAX);
}

TEST(SerializeTest, ReaderKeepsFirstError) {
    const Bytes in = {0x80, 0x00, 0x01};
    Reader r{in};
    uint64_t v = 0;
    EXPECT_FALSE(r.VarInt(v, "first"));
    EXPECT_FALSE(r.ok());
    // Later reads fail too and do not replace the first error.
    EXPECT_FALSE(r.VarInt(v, "second"));
    std::array<uint8_t, 1> one{};
    EXPECT_FALSE(r.Fixed(one, "third"));
    EXPECT_FALSE(r.ExpectEnd("end"));
    EXPECT_EQ(r.Error().code, DecodeErrorCode::kNonMinimalVarInt);
    EXPECT_EQ(r.Error().field, "first");
    EXPECT_EQ(r.Error().ToString(), "non-minimal integer encoding in first");
}

TEST(SerializeTest, ByteVecAndString) {
    Writer w;
    w.ByteVec(Bytes{1, 2, 3});
    w.String("hello");
    w.ByteVec(Bytes{});
    EXPECT_EQ(HexStr(w.Data()),
              "03010203"
              "0568656c6c6f"
              "00");

    Reader r{w.Data()};
    Bytes b;
    std::string s;
    Bytes empty{9};
    EXPECT_TRUE(r.ByteVec(b, 3, "b"));
    EXPECT_TRUE(r.String(s, 5, "s"));
    EXPECT_TRUE(r.ByteVec(empty, 0, "e"));
    EXPECT_TRUE(r.ExpectEnd("all"));
    EXPECT_EQ(b, (Bytes{1, 2, 3}));
    EXPECT_EQ(s, "hello");
    EXPECT_TRUE(empty.empty());
}

TEST(SerializeTest, ByteVecOverLimit) {
    Writer w;
    w.ByteVec(Bytes(11, 0xaa));
    Reader r{w.Data()};
    Bytes b;
    EXPECT_FALSE(r.ByteVec(b, 10, "payload"));
    EXPECT_EQ(r.Error().code, DecodeErrorCode::kTooLong);
    EXPECT_EQ(r.Error().field, "payload");

    Reader r2{w.Data()};
    EXPECT_TRUE(r2.ByteVec(b, 11, "payload"));

    // A huge declared length is rejected by the limit before any allocation.
    Writer huge;
    huge.VarInt(UINT64_MAX);
    Reader r3{huge.Data()};
    EXPECT_FALSE(r3.ByteVec(b, 1 << 20, "payload"));
    EXPECT_EQ(r3.Error().code, DecodeErrorCode::kTooLong);

    // Strings obey their limit too.
    Writer ws;
    ws.String("toolong");
    Reader r4{ws.Data()};
    std::string s;
    EXPECT_FALSE(r4.String(s, 6, "name"));
    EXPECT_EQ(r4.Error().code, DecodeErrorCode::kTooLong);
}

TEST(SerializeTest, ByteVecTruncated) {
    const Bytes in = {0x05, 1, 2, 3};
    Reader r{in};
    Bytes b;
    EXPECT_FALSE(r.ByteVec(b, 100, "b"));
    EXPECT_EQ(r.Error().code, DecodeErrorCode::kTruncated);
}

TEST(SerializeTest, FixedTruncated) {
    const Bytes in(31, 0x11);
    Reader r{in};
    std::array<uint8_t, 32> out{};
    EXPECT_FALSE(r.Fixed(out, "hash"));
    EXPECT_EQ(r.Error().code, DecodeErrorCode::kTruncated);
}

TEST(SerializeTest, ExpectEnd) {
    const Bytes in = {0x01, 0x02};
    Reader r{in};
    uint64_t v = 0;
    ASSERT_TRUE(r.VarInt(v, "v"));
    EXPECT_EQ(r.Remaining(), 1u);
    EXPECT_FALSE(r.ExpectEnd("thing"));
    EXPECT_EQ(r.Error().code, DecodeErrorCode::kTrailingBytes);
    EXPECT_EQ(r.Error().field, "thing");

    Reader r2{ByteSpan{in}.first(1)};
    ASSERT_TRUE(r2.VarInt(v, "v"));
    EXPECT_TRUE(r2.ExpectEnd("thing"));

    Reader empty{ByteSpan{}};
    EXPECT_TRUE(empty.ExpectEnd("nothing"));
}

// ---------------------------------------------------------------------------------------------
// Transactions and blocks

SecretKey TestSecret(uint8_t seed) {
    std::array<uint8_t, 32> raw{};
    raw.fill(seed);
    auto sk = SecretKey::FromBytes(raw);
    EXPECT_TRUE(sk.has_value());
    return *sk;
}

Transaction MakeTx(uint8_t seed, size_t payload_size = 40) {
    const SecretKey sk = TestSecret(seed);
    Transaction tx;
    tx.network_id = 3;
    tx.type = 1;
    tx.sender = sk.GetPubKey();
    tx.nonce = 1000u + seed;
    tx.fee = 12'345;
    tx.payload.resize(payload_size);
    for (size_t i = 0; i < payload_size; ++i) tx.payload[i] = static_cast<uint8_t>(i * 7 + seed);
    std::array<uint8_t, 32> aux{};
    tx.signature = sk.Sign(tx.SigHash(), aux);
    return tx;
}

Block MakeBlock(size_t ntx) {
    Block b;
    b.header.network_id = 3;
    b.header.height = 42;
    b.header.time_ms = 1'700'000'000'000;
    b.header.prev_hash = TaggedHash("test/prev", {});
    b.header.tx_root = TaggedHash("test/txroot", {});
    b.header.state_root = TaggedHash("test/state", {});
    b.header.validator_set_hash = TaggedHash("test/vals", {});
    b.header.proposer = TestSecret(9).GetPubKey();
    for (size_t i = 0; i < ntx; ++i) b.txs.push_back(MakeTx(static_cast<uint8_t>(i + 1)));
    b.last_commit.height = 41;
    b.last_commit.round = 2;
    b.last_commit.block_hash = b.header.prev_hash;
    for (uint32_t i = 0; i < 3; ++i) {
        CommitSig s;
        s.validator_index = i * 2;
        s.signature =
            TestSecret(static_cast<uint8_t>(20 + i))
                .Sign(VoteSignHash(3, 41, 2, b.last_commit.block_hash), std::array<uint8_t, 32>{});
        b.last_commit.sigs.push_back(s);
    }
    b.header.last_commit_hash = b.last_commit.Hash();
    return b;
}

TEST(TransactionSerializeTest, RoundTrip) {
    for (size_t payload : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{1000}}) {
        const Transaction tx = MakeTx(1, payload);
        const Bytes enc = tx.ToBytes();
        auto dec = DecodeTransaction(enc);
        ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
        EXPECT_EQ(*dec, tx);
        EXPECT_EQ(dec->ToBytes(), enc);
        EXPECT_EQ(dec->TxId(), tx.TxId());
    }
    // Extreme field values.
    Transaction tx = MakeTx(2);
    tx.network_id = UINT32_MAX;
    tx.type = UINT64_MAX;
    tx.nonce = UINT64_MAX;
    tx.fee = UINT64_MAX;
    auto dec = DecodeTransaction(tx.ToBytes());
    ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
    EXPECT_EQ(*dec, tx);
}

TEST(TransactionSerializeTest, EncodingLayout) {
    const Transaction tx = MakeTx(1, 2);
    Writer w;
    w.VarInt(tx.network_id);
    w.VarInt(tx.type);
    w.Fixed(tx.sender.bytes);
    w.VarInt(tx.nonce);
    w.VarInt(tx.fee);
    w.ByteVec(tx.payload);
    Writer unsigned_w;
    tx.SerializeUnsigned(unsigned_w);
    EXPECT_EQ(unsigned_w.Data(), w.Data());
    w.Fixed(tx.signature.bytes);
    EXPECT_EQ(tx.ToBytes(), w.Data());
    EXPECT_EQ(tx.SigHash(), TaggedHash(tags::kTxSig, unsigned_w.Data()));
    EXPECT_EQ(tx.TxId(), TaggedHash(tags::kTxId, tx.ToBytes()));
}

TEST(TransactionSerializeTest, RejectsTrailingByte) {
    Bytes enc = MakeTx(1).ToBytes();
    enc.push_back(0x00);
    auto dec = DecodeTransaction(enc);
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error().code, DecodeErrorCode::kTrailingBytes);
}

TEST(TransactionSerializeTest, RejectsEveryTruncation) {
    const Bytes enc = MakeTx(1, 200).ToBytes();
    for (size_t len = 0; len < enc.size(); ++len) {
        auto dec = DecodeTransaction(ByteSpan{enc}.first(len));
        ASSERT_FALSE(dec.has_value()) << "prefix length " << len;
        EXPECT_EQ(dec.error().code, DecodeErrorCode::kTruncated) << "prefix length " << len;
    }
}

TEST(TransactionSerializeTest, PayloadLimit) {
    Transaction tx = MakeTx(1, kMaxTxPayload);
    auto ok = DecodeTransaction(tx.ToBytes());
    ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
    EXPECT_EQ(ok->payload.size(), kMaxTxPayload);

    tx.payload.push_back(0);
    auto dec = DecodeTransaction(tx.ToBytes());
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error().code, DecodeErrorCode::kTooLong);
    EXPECT_EQ(dec.error().field, "tx.payload");

    // Anything larger than the maximum transaction size is rejected up front.
    const Bytes big(kMaxTxSize + 1, 0);
    auto too_big = DecodeTransaction(big);
    ASSERT_FALSE(too_big.has_value());
    EXPECT_EQ(too_big.error().code, DecodeErrorCode::kTooLong);
}

TEST(TransactionSerializeTest, RejectsNetworkIdAbove32Bits) {
    Transaction tx = MakeTx(1);
    Writer w;
    w.VarInt(uint64_t{UINT32_MAX} + 1);
    w.VarInt(tx.type);
    w.Fixed(tx.sender.bytes);
    w.VarInt(tx.nonce);
    w.VarInt(tx.fee);
    w.ByteVec(tx.payload);
    w.Fixed(tx.signature.bytes);
    auto dec = DecodeTransaction(w.Data());
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error().code, DecodeErrorCode::kInvalidValue);
    EXPECT_EQ(dec.error().field, "tx.network_id");
}

TEST(TransactionSerializeTest, RejectsNonMinimalField) {
    // Re-encode the nonce non-minimally: the canonical grammar allows one encoding only.
    Transaction tx = MakeTx(1);
    tx.nonce = 5;
    Writer w;
    w.VarInt(tx.network_id);
    w.VarInt(tx.type);
    w.Fixed(tx.sender.bytes);
    w.Fixed(Bytes{0x85, 0x00});  // 5 in two bytes
    w.VarInt(tx.fee);
    w.ByteVec(tx.payload);
    w.Fixed(tx.signature.bytes);
    auto dec = DecodeTransaction(w.Data());
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error().code, DecodeErrorCode::kNonMinimalVarInt);
    EXPECT_EQ(dec.error().field, "tx.nonce");
}

TEST(TransactionSerializeTest, TxIdCommitsToSignature) {
    const Transaction tx = MakeTx(1);
    Transaction other = tx;
    other.signature.bytes[63] ^= 0x01;
    EXPECT_NE(other.TxId(), tx.TxId());

    // A different valid signature of the same content (other aux_rand) also changes the id.
    Transaction resigned = tx;
    std::array<uint8_t, 32> aux{};
    aux[0] = 1;
    resigned.signature = TestSecret(1).Sign(tx.SigHash(), aux);
    ASSERT_NE(resigned.signature, tx.signature);
    EXPECT_TRUE(VerifySchnorr(resigned.sender, resigned.SigHash(), resigned.signature));
    EXPECT_NE(resigned.TxId(), tx.TxId());
}

TEST(TransactionSerializeTest, SigHashIgnoresSignature) {
    const Transaction tx = MakeTx(1);
    EXPECT_TRUE(VerifySchnorr(tx.sender, tx.SigHash(), tx.signature));
    Transaction other = tx;
    other.signature = Signature{};
    EXPECT_EQ(other.SigHash(), tx.SigHash());
    other.signature.bytes.fill(0xff);
    EXPECT_EQ(other.SigHash(), tx.SigHash());
    // SigHash and TxId use different tags: never equal.
    EXPECT_NE(tx.SigHash(), tx.TxId());
}

TEST(TransactionSerializeTest, SigHashCommitsToEveryField) {
    const Transaction tx = MakeTx(1);
    std::vector<Transaction> variants(6, tx);
    variants[0].network_id = tx.network_id + 1;
    variants[1].type = tx.type + 1;
    variants[2].sender = TestSecret(2).GetPubKey();
    variants[3].nonce = tx.nonce + 1;
    variants[4].fee = tx.fee + 1;
    variants[5].payload.push_back(0);
    for (size_t i = 0; i < variants.size(); ++i) {
        EXPECT_NE(variants[i].SigHash(), tx.SigHash()) << "variant " << i;
        // The original signature does not carry over.
        EXPECT_FALSE(VerifySchnorr(variants[i].sender, variants[i].SigHash(), tx.signature))
            << "variant " << i;
    }
}

TEST(TransactionSerializeTest, SigHashDiffersAcrossNetworks) {
    Transaction tx = MakeTx(1);
    std::vector<Hash256> seen;
    for (uint32_t net : {0u, 1u, 2u, 3u, UINT32_MAX}) {
        tx.network_id = net;
        const Hash256 h = tx.SigHash();
        for (const auto& prev : seen) EXPECT_NE(h, prev) << "network " << net;
        seen.push_back(h);
    }
    // A signature made for network 3 is invalid on network 1.
    const Transaction signed3 = MakeTx(1);
    Transaction replay = signed3;
    replay.network_id = 1;
    EXPECT_TRUE(VerifySchnorr(signed3.sender, signed3.SigHash(), signed3.signature));
    EXPECT_FALSE(VerifySchnorr(replay.sender, replay.SigHash(), replay.signature));
}

TEST(BlockSerializeTest, RoundTrip) {
    for (size_t ntx : {size_t{0}, size_t{1}, size_t{5}}) {
        const Block b = MakeBlock(ntx);
        const Bytes enc = b.ToBytes();
        auto dec = DecodeBlock(enc);
        ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
        EXPECT_EQ(*dec, b);
        EXPECT_EQ(dec->ToBytes(), enc);
        EXPECT_EQ(dec->Hash(), b.Hash());
    }
    // An empty commit (genesis successor style) round-trips too.
    Block b = MakeBlock(2);
    b.last_commit = Commit{};
    auto dec = DecodeBlock(b.ToBytes());
    ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
    EXPECT_EQ(*dec, b);
}

TEST(BlockSerializeTest, HeaderAndCommitRoundTrip) {
    const Block b = MakeBlock(1);
    Writer hw;
    b.header.Serialize(hw);
    auto h = DecodeBlockHeader(hw.Data());
    ASSERT_TRUE(h.has_value()) << h.error().ToString();
    EXPECT_EQ(*h, b.header);
    EXPECT_EQ(b.header.Hash(), TaggedHash(tags::kBlockHash, hw.Data()));

    Writer cw;
    b.last_commit.Serialize(cw);
    auto c = DecodeCommit(cw.Data());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    EXPECT_EQ(*c, b.last_commit);
    EXPECT_EQ(b.last_commit.Hash(), TaggedHash(tags::kCommit, cw.Data()));

    Bytes trailing = hw.Data();
    trailing.push_back(0);
    auto bad = DecodeBlockHeader(trailing);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, DecodeErrorCode::kTrailingBytes);
}

TEST(BlockSerializeTest, RejectsTrailingBytes) {
    Bytes enc = MakeBlock(2).ToBytes();
    for (int extra = 1; extra <= 3; ++extra) {
        enc.push_back(0);
        auto dec = DecodeBlock(enc);
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error().code, DecodeErrorCode::kTrailingBytes);
    }
}

TEST(BlockSerializeTest, RejectsEveryTruncation) {
    const Bytes enc = MakeBlock(2).ToBytes();
    for (size_t len = 0; len < enc.size(); ++len) {
        auto dec = DecodeBlock(ByteSpan{enc}.first(len));
        ASSERT_FALSE(dec.has_value()) << "prefix length " << len;
        EXPECT_EQ(dec.error().code, DecodeErrorCode::kTruncated) << "prefix length " << len;
    }
}

TEST(BlockSerializeTest, RejectsTooManyTxsAndSigs) {
    const Block b = MakeBlock(0);
    {
        Writer w;
        b.header.Serialize(w);
        w.VarInt(kMaxBlockTxsDecode + 1);
        auto dec = DecodeBlock(w.Data());
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error().code, DecodeErrorCode::kTooLong);
        EXPECT_EQ(dec.error().field, "block.txs");
    }
    {
        // A huge count with no data behind it fails cleanly.
        Writer w;
        b.header.Serialize(w);
        w.VarInt(kMaxBlockTxsDecode);
        auto dec = DecodeBlock(w.Data());
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error().code, DecodeErrorCode::kTruncated);
    }
    {
        Writer w;
        w.VarInt(1);
        w.VarInt(0);
        w.Fixed(Hash256{}.bytes);
        w.VarInt(kMaxCommitSigs + 1);
        auto dec = DecodeCommit(w.Data());
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error().code, DecodeErrorCode::kTooLong);
        EXPECT_EQ(dec.error().field, "commit.sigs");
    }
}

TEST(BlockSerializeTest, HashesCommitToContent) {
    const Block b = MakeBlock(1);
    BlockHeader h = b.header;
    h.height += 1;
    EXPECT_NE(h.Hash(), b.header.Hash());
    h = b.header;
    h.network_id += 1;
    EXPECT_NE(h.Hash(), b.header.Hash());

    Commit c = b.last_commit;
    c.sigs[0].signature.bytes[0] ^= 1;
    EXPECT_NE(c.Hash(), b.last_commit.Hash());

    const Hash256 bh = b.header.prev_hash;
    EXPECT_NE(VoteSignHash(1, 41, 2, bh), VoteSignHash(2, 41, 2, bh));
    EXPECT_NE(VoteSignHash(3, 41, 2, bh), VoteSignHash(3, 42, 2, bh));
    EXPECT_NE(VoteSignHash(3, 41, 2, bh), VoteSignHash(3, 41, 3, bh));
    EXPECT_NE(VoteSignHash(3, 41, 2, bh), VoteSignHash(3, 41, 2, Hash256{}));
    // Every commit signature in the test block verifies against the vote message.
    for (uint32_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(VerifySchnorr(TestSecret(static_cast<uint8_t>(20 + i)).GetPubKey(),
                                  VoteSignHash(3, 41, 2, bh), b.last_commit.sigs[i].signature));
    }
}

}  // namespace
}  // namespace cairn
