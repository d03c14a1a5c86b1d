// The wallet's device registry support: building register_device, assert_location and
// transfer_device transactions, parsing the operator's input for them exactly, and the device
// key file.
//
// The builders go through BuildTransaction, so what they return passes
// consensus::CheckTransaction under the given parameters (the target chain's), or the reason is
// returned as text. State rules (the device exists, belongs to the sender, may assert again)
// are the node's: the wallet cannot see the chain.
//
// Device key file: the device's own secret key, which signs its consent to registration and,
// later, its coverage reports; it lives on the hotspot. The format is the wallet key file's
// clear form (keystore.h) with two more fields, and is loaded through keystore's DecodeKeyFile,
// so the same checks apply (version, network, secret matching the address):
//   {"version":1,"kind":"device","network":"devnet","device":"<64 hex public key>",
//    "address":"dcairn1...","secret_key":"<64 hex>"}
// "kind":"device" keeps the two kinds of key apart: a device key file is refused where the
// wallet's own key is expected and the other way round. The file is written with mode 0600 and
// never overwrites an existing file. It is never encrypted: the hotspot reads it unattended.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "consensus/devices/device_class.h"
#include "consensus/params.h"
#include "consensus/poc/geo.h"
#include "crypto/keys.h"
#include "primitives/amount.h"
#include "primitives/network.h"
#include "primitives/transaction.h"
#include "util/result.h"

namespace cairn::wallet {

// --- Transactions ---

// register_device: owner_sk's account becomes the owner of device_sk's device; device_sk signs
// its consent (DeviceRegistrationHash, covering the class data: a compute device's tier byte).
// The class's onboarding fee is burned when the node applies it, on top of `fee`. Without
// `fee`, the minimum fee for the final size is used.
Result<Transaction, std::string> BuildRegisterDevice(const SecretKey& owner_sk,
                                                     const SecretKey& device_sk,
                                                     const consensus::ChainParams& params,
                                                     consensus::DeviceClass device_class,
                                                     ByteSpan class_data, uint64_t nonce,
                                                     std::optional<Amount> fee);

// set_compute_tier: the owner moves a compute device to `tier` from the next bucket.
Result<Transaction, std::string> BuildSetComputeTier(const SecretKey& owner_sk,
                                                     const consensus::ChainParams& params,
                                                     const PubKey& device, uint8_t tier,
                                                     uint64_t nonce, std::optional<Amount> fee);

// reactivate_compute: the owner returns a deactivated compute device to the challenges.
Result<Transaction, std::string> BuildReactivateCompute(const SecretKey& owner_sk,
                                                        const consensus::ChainParams& params,
                                                        const PubKey& device, uint64_t nonce,
                                                        std::optional<Amount> fee);

// assert_location: the owner sets the device's location, antenna gain (dBi x 10) and radio
// region (an index into params.poc.regions). The location fee is burned on top of `fee`.
Result<Transaction, std::string> BuildAssertLocation(const SecretKey& owner_sk,
                                                     const consensus::ChainParams& params,
                                                     const PubKey& device,
                                                     const consensus::poc::LatLon& position,
                                                     uint16_t gain_ddbi, uint8_t region,
                                                     uint64_t nonce, std::optional<Amount> fee);

// transfer_device: the owner hands the device to new_owner.
Result<Transaction, std::string> BuildTransferDevice(const SecretKey& owner_sk,
                                                     const consensus::ChainParams& params,
                                                     const PubKey& device, const PubKey& new_owner,
                                                     uint64_t nonce, std::optional<Amount> fee);

// --- Operator input, parsed exactly (no floating point) ---

// Decimal degrees ("52.3731", "-33.8688", "4") to 1e-7 degree units: an optional '-', at least
// one digit, and optionally '.' followed by 1 to 7 digits. Nothing else (no '+', exponent,
// spaces). More than 7 decimals is refused rather than rounded: the chain stores 1e-7 degrees,
// and a location should be what the operator typed.
// Latitude: -90..90. Longitude: -180 up to but excluding 180 (+180 is spelled -180 on chain).
Result<int32_t, std::string> ParseLatitudeE7(std::string_view text);
Result<int32_t, std::string> ParseLongitudeE7(std::string_view text);
Result<consensus::poc::LatLon, std::string> ParseLatLon(std::string_view lat, std::string_view lon);
// 1e-7 degree units as the shortest decimal that parses back to them ("52.3731", "-0.5", "4").
std::string FormatDegreesE7(int32_t e7);

// Antenna gain in dBi with at most one decimal ("3", "3.0", "5.8") to dBi x 10. Range against
// the chain's limits is the caller's (or CheckTransaction's) business.
Result<uint16_t, std::string> ParseGainDdbi(std::string_view text);
// dBi x 10 as "3.0", "12.5".
std::string FormatGainDdbi(uint16_t ddbi);

// A radio region by name (case-insensitive: "EU868", "eu868") to its id in poc.regions.
Result<uint8_t, std::string> ParseRegion(const consensus::PocParams& poc, std::string_view name);

// A device public key in hex (64 digits, a valid x-only key).
Result<PubKey, std::string> ParseDeviceKey(std::string_view hex);

// --- Device key file ---

inline constexpr std::string_view kDeviceKeyFileKind = "device";

// The device key file text for `sk` (clear; the caller wipes it once written).
std::string EncodeDeviceKeyFile(const SecretKey& sk, Network net);
// The device's secret key from device key file text for `net`. Refuses a wallet key file
// (no "kind":"device"), another network, and a "device" field that does not match the key.
Result<SecretKey, std::string> DecodeDeviceKeyFile(std::string_view text, Network net);
// Whether the text is a device key file (has "kind":"device"); false for anything else,
// including text that is not JSON.
bool IsDeviceKeyFile(std::string_view text);

// Writes a new device key file at `path` (mode 0600). Fails if `path` already exists.
Result<void, std::string> WriteDeviceKeyFile(const std::string& path, const SecretKey& sk,
                                             Network net);
// Reads a device key file; errors name the path.
Result<SecretKey, std::string> LoadDeviceKeyFile(const std::string& path, Network net);

}  // namespace cairn::wallet
