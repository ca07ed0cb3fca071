// Byte and text codecs behind the sandbox's JavaScript shims (btoa/atob, Buffer, crypto): UTF-8
// <-> UTF-16, base64, hex, and message digests / HMACs through OpenSSL's EVP. Pure functions on
// strings of bytes, no JavaScript engine involved; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flow::adapters::sandbox {

// UTF-16 (as JavaScript strings hold it) to UTF-8; a lone surrogate becomes U+FFFD.
std::string Utf16ToUtf8(std::u16string_view text);
// UTF-8 to UTF-16; every malformed sequence becomes one U+FFFD (as Node's Buffer decodes).
std::u16string Utf8ToUtf16(std::string_view text);
// How many bytes Utf16ToUtf8(text) would produce.
std::size_t Utf8Length(std::u16string_view text);

std::string Base64Encode(std::string_view bytes, bool url = false);
// strict: the forgiving-base64 rules of atob (ASCII whitespace skipped, padding checked);
// nullopt when the text is not base64. lenient (Node's Buffer): standard and URL alphabets,
// anything else skipped, decoding stops at the first '='; never fails.
std::optional<std::string> Base64Decode(std::string_view text, bool strict);

std::string HexEncode(std::string_view bytes);
// Pairs of hex digits up to the first pair that is not one (Node's Buffer.from(s, 'hex')).
std::string HexDecode(std::string_view text);

// "md5", "sha1", "sha256", "sha384", "sha512" (case and '-' ignored: "SHA-256" works);
// nullopt for any other name.
std::optional<std::string> Digest(std::string_view algorithm, std::string_view data);
std::optional<std::string> Hmac(std::string_view algorithm, std::string_view key,
                                std::string_view data);

// One digest and one HMAC of each algorithm above: OpenSSL reads its configuration file and
// loads its provider on the first use, which must happen before the syscall filter. False if an
// algorithm is missing.
bool WarmUpDigests();

}  // namespace flow::adapters::sandbox
