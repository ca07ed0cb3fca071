// The channel between flowtest and a sandbox helper process: frames of a 4-byte little-endian
// length followed by that many bytes of UTF-8 JSON, over a SOCK_STREAM socketpair (fd 3 in the
// helper). Only JSON crosses. Both sides cap frame sizes; a frame over the cap, a short read or
// invalid JSON is a protocol error (the parent then kills the helper).
//
// Messages (one reply per request, in order; the helper handles one scope at a time):
//
// helper -> parent, once after start-up, before anything is asked:
//   {"op":"ready","protocol":1,"mozjs":"102.15.1","faker":"9.9.0","start_us":12345}
//   "protocol" is kProtocolVersion of the helper's build; the parent refuses any other (a
//   flowtest-sandbox left from another build beside a new flowtest).
//
// parent -> helper                               helper -> parent
//   {"op":"open","seed":42|null,"locale":"en"}     {"ok":true,"us":5123}
//     A fresh global with faker instantiated (seeded when seed is a number; "en" or "pt_BR").
//     Closes the previous scope, if any.
//   {"op":"eval","kind":"expression"|"block"|"faker",
//    "code":"a + 1", "args":[...], "bind":{"a":41}, "read_back":["request"],
//    "file":"x.yaml","line":3,"col":7,
//    "cpu_ms":1000,"mem_mb":64,"out_bytes":1048576}
//                                                  {"ok":true,"type":"number","value":42,
//                                                   "undefined":false,"set":{"k":1},
//                                                   "read_back":{"request":{...}},
//                                                   "console":[["log","text"],...]}
//                                                  {"ok":false,"error":{"kind":K,"message":M,
//                                                   "line":L,"col":C},"console":[...],
//                                                   "recycle":true|false}
//     K is one of exception syntax cpu memory output invalid. "recycle":true means the helper's
//     state may be damaged (a budget stopped the code) and the parent must replace it.
//     L and C are 1-based positions inside `code` (0 when unknown).
//   {"op":"close"}                                 {"ok":true}
//   {"op":"exit"}                                  (the helper exits 0 without replying)
//
// "kind":"faker": `code` is a method path "module.method" resolved on the scope's faker object
// (own properties that are functions only), `args` the arguments. "bind" is ignored.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flow::adapters::sandbox {

// Raised whenever a message changes shape.
inline constexpr int kProtocolVersion = 1;
inline constexpr int kChannelFd = 3;  // the channel's descriptor in the helper
inline constexpr std::size_t kMaxRequestBytes = std::size_t{16} << 20;  // parent -> helper
inline constexpr std::size_t kMaxReplyBytes = std::size_t{24} << 20;    // helper -> parent

// Writes one frame; handles short writes and EINTR, never raises SIGPIPE (MSG_NOSIGNAL).
core::Result<void> WriteFrame(int fd, std::string_view payload);

// Reads one frame of at most `max_bytes`. With a deadline, gives up with a kTimeout error when
// the whole frame has not arrived by then; a closed channel is kUnavailable, an oversized length
// kInvalidArgument.
core::Result<std::string> ReadFrame(int fd, std::size_t max_bytes);
core::Result<std::string> ReadFrame(int fd, std::size_t max_bytes,
                                    std::chrono::steady_clock::time_point deadline);

}  // namespace flow::adapters::sandbox
