#include "adapters/script_mozjs/helper/js_prelude.hpp"

namespace flow::adapters::sandbox {
namespace {

// Natives (js_runtime.cpp): log(level, text); set(name, value) -> "" or "T:msg" / "R:msg";
// utf8Encode(str) / utf8Decode(bin); b64Encode(bin, url) -> str or null; b64Decode(str, strict)
// -> bin or null; hexEncode(bin) / hexDecode(str); digest(alg, bin) / hmac(alg, key, bin) -> bin
// or null; randomBytes(n) -> bin; loadFaker(locale) -> a faker instance, from the faker bundle
// run in this global. A "bin" is a string of char codes 0-255, one per byte.
// Everything the shims use is captured here, so a scope that replaces String or JSON later only
// confuses itself (faker's own top level, run on first use, sees the global as the code left it).
// Returns the scope's faker loader (the C++ side calls it for "faker" evaluations).
constexpr std::string_view kPrelude = R"JS((function (N, locale, seed) {
'use strict';
const G = globalThis;
const TypeErr = TypeError, RangeErr = RangeError, Err = Error, Str = String;
const apply = Reflect.apply, defineProperty = Object.defineProperty;
const stringify = JSON.stringify, fromCharCode = String.fromCharCode;
const isArray = Array.isArray, isView = ArrayBuffer.isView, U8 = Uint8Array;
const charCodeAt = String.prototype.charCodeAt, toLowerCase = String.prototype.toLowerCase;
const join = Array.prototype.join;
const def = (o, k, v) => defineProperty(o, k, {value: v, writable: true, configurable: true, enumerable: false});
const named = (name, message) => { const e = new Err(message); e.name = name; return e; };

// console
const show = (v) => {
  if (typeof v === 'string') return v;
  if (v instanceof Err) return Str(v);
  if (typeof v === 'object' && v !== null) {
    try { const j = stringify(v); if (j !== undefined) return j; } catch (e) { /* cyclic, BigInt: fall through */ }
  }
  try { return Str(v); } catch (e) { return '[unprintable]'; }
};
const console = {};
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  def(console, level, function (...args) {
    const parts = [];
    for (let i = 0; i < args.length; i++) parts[i] = show(args[i]);
    N.log(level, apply(join, parts, [' ']));
  });
}
def(G, 'console', console);

// setVariable
def(G, 'setVariable', function setVariable(name, value) {
  const r = N.set(name, value);
  if (r !== '') throw r[0] === 'T' ? new TypeErr(r.slice(2)) : new RangeErr(r.slice(2));
});

// btoa / atob (binary strings)
def(G, 'btoa', function btoa(data) {
  if (arguments.length === 0) throw new TypeErr('btoa requires 1 argument');
  const r = N.b64Encode(Str(data), false);
  if (r === null) throw named('InvalidCharacterError', 'btoa: the string contains characters outside of the Latin1 range');
  return r;
});
def(G, 'atob', function atob(data) {
  if (arguments.length === 0) throw new TypeErr('atob requires 1 argument');
  const r = N.b64Decode(Str(data), true);
  if (r === null) throw named('InvalidCharacterError', 'atob: the string is not correctly encoded base64');
  return r;
});

// Buffer: a Uint8Array with Node's string conversions.
const encodingOf = (enc) => {
  const e = enc === undefined || enc === null ? 'utf8' : apply(toLowerCase, Str(enc), []);
  switch (e) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'base64': case 'base64url': case 'hex': case 'ascii': return e;
    case 'latin1': case 'binary': return 'latin1';
    default: throw new TypeErr('Unknown encoding: ' + Str(enc));
  }
};
const binFromString = (s, enc) => {
  switch (encodingOf(enc)) {
    case 'utf8': return N.utf8Encode(s);
    case 'base64': case 'base64url': return N.b64Decode(s, false);
    case 'hex': return N.hexDecode(s);
    default: {
      let out = '';
      for (let i = 0; i < s.length; i += 8192) {
        const codes = [];
        const end = Math.min(s.length, i + 8192);
        for (let j = i; j < end; j++) codes.push(apply(charCodeAt, s, [j]) & 255);
        out += apply(fromCharCode, null, codes);
      }
      return out;
    }
  }
};
const binOf = (bytes) => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += apply(fromCharCode, null, bytes.subarray(i, i + 8192));
  return out;
};
const stringFromBin = (bin, enc) => {
  switch (encodingOf(enc)) {
    case 'utf8': return N.utf8Decode(bin);
    case 'base64': return N.b64Encode(bin, false);
    case 'base64url': return N.b64Encode(bin, true);
    case 'hex': return N.hexEncode(bin);
    case 'ascii': {
      let out = '';
      for (let i = 0; i < bin.length; i += 8192) {
        const codes = [];
        const end = Math.min(bin.length, i + 8192);
        for (let j = i; j < end; j++) codes.push(apply(charCodeAt, bin, [j]) & 127);
        out += apply(fromCharCode, null, codes);
      }
      return out;
    }
    default: return bin;
  }
};
class Buffer extends U8 {
  static from(value, encodingOrOffset, length) {
    if (typeof value === 'string') return bufferFromBin(binFromString(value, encodingOrOffset));
    if (value instanceof ArrayBuffer) {
      const offset = encodingOrOffset === undefined ? 0 : encodingOrOffset >>> 0;
      const size = length === undefined ? value.byteLength - offset : length >>> 0;
      return new Buffer(value, offset, size);
    }
    if (isView(value)) {
      const b = new Buffer(value.byteLength);
      b.set(new U8(value.buffer, value.byteOffset, value.byteLength));
      return b;
    }
    if (isArray(value)) {
      const b = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) b[i] = value[i] & 255;
      return b;
    }
    if (value !== null && typeof value === 'object' && value.type === 'Buffer' && isArray(value.data)) {
      return Buffer.from(value.data);
    }
    throw new TypeErr('The first argument must be of type string, Buffer, ArrayBuffer or Array');
  }
  static alloc(size, fill, encoding) {
    const b = new Buffer(size >>> 0);
    if (fill !== undefined) b.fill(fill, 0, b.length, encoding);
    return b;
  }
  static isBuffer(value) { return value instanceof Buffer; }
  static isEncoding(enc) { try { encodingOf(enc); return typeof enc === 'string'; } catch (e) { return false; } }
  static byteLength(value, encoding) {
    return typeof value === 'string' ? binFromString(value, encoding).length : value.byteLength;
  }
  static concat(list, totalLength) {
    let total = 0;
    for (const item of list) total += item.length;
    const size = totalLength === undefined ? total : totalLength >>> 0;
    const out = new Buffer(size);
    let at = 0;
    for (const item of list) {
      if (at >= size) break;
      const part = item.length > size - at ? item.subarray(0, size - at) : item;
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
  toString(encoding, start, end) {
    const s = start === undefined ? 0 : Math.max(0, start | 0);
    const e = end === undefined ? this.length : Math.min(this.length, end | 0);
    return stringFromBin(binOf(e > s ? this.subarray(s, e) : new U8(0)), encoding);
  }
  fill(value, offset, end, encoding) {
    if (typeof value === 'string') {
      const bytes = Buffer.from(value, encoding);
      const s = offset === undefined ? 0 : offset >>> 0;
      const e = end === undefined ? this.length : Math.min(this.length, end >>> 0);
      if (bytes.length === 0) return this;
      for (let i = s; i < e; i++) this[i] = bytes[(i - s) % bytes.length];
      return this;
    }
    return super.fill(value, offset, end);
  }
  write(string, offset, length, encoding) {
    if (typeof offset === 'string') { encoding = offset; offset = 0; length = undefined; }
    const bytes = Buffer.from(string, encoding);
    const at = offset === undefined ? 0 : offset >>> 0;
    const n = Math.min(bytes.length, this.length - at, length === undefined ? Infinity : length >>> 0);
    for (let i = 0; i < n; i++) this[at + i] = bytes[i];
    return n;
  }
  equals(other) {
    if (!isView(other) || other.byteLength !== this.length) return false;
    const o = new U8(other.buffer, other.byteOffset, other.byteLength);
    for (let i = 0; i < this.length; i++) if (this[i] !== o[i]) return false;
    return true;
  }
  toJSON() { return {type: 'Buffer', data: Array.from(this)}; }
}
const bufferFromBin = (bin) => {
  const b = new Buffer(bin.length);
  for (let i = 0; i < bin.length; i++) b[i] = apply(charCodeAt, bin, [i]);
  return b;
};
def(G, 'Buffer', Buffer);

// crypto
const binOfData = (data, encoding) => {
  if (typeof data === 'string') return binFromString(data, encoding);
  if (isView(data)) return binOf(new U8(data.buffer, data.byteOffset, data.byteLength));
  if (data instanceof ArrayBuffer) return binOf(new U8(data));
  throw new TypeErr('The "data" argument must be of type string or an instance of Buffer, TypedArray or DataView');
};
const output = (bin, encoding) => encoding === undefined ? bufferFromBin(bin) : stringFromBin(bin, encoding);
const hasher = (algorithm, key) => {
  const alg = Str(algorithm);
  if (N.digest(alg, '') === null) throw new Err('Digest method not supported: ' + alg);
  const parts = [];
  let done = false;
  const h = {
    update(data, encoding) {
      if (done) throw new Err('Digest already called');
      parts.push(binOfData(data, encoding));
      return h;
    },
    digest(encoding) {
      if (done) throw new Err('Digest already called');
      done = true;
      const all = apply(join, parts, ['']);
      return output(key === undefined ? N.digest(alg, all) : N.hmac(alg, key, all), encoding);
    },
  };
  return h;
};
const integerArrays = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
                       Uint32Array, BigInt64Array, BigUint64Array];
const crypto = {};
def(crypto, 'createHash', function createHash(algorithm) { return hasher(algorithm, undefined); });
def(crypto, 'createHmac', function createHmac(algorithm, key) {
  if (key === undefined || key === null) throw new TypeErr('The "key" argument must be of type string or an instance of Buffer');
  return hasher(algorithm, binOfData(key));
});
def(crypto, 'randomBytes', function randomBytes(size) {
  const n = +size;
  if (!(n >= 0 && n <= 65536 && n === Math.floor(n))) throw new RangeErr('randomBytes: size must be an integer from 0 to 65536');
  return bufferFromBin(N.randomBytes(n));
});
def(crypto, 'getRandomValues', function getRandomValues(array) {
  let ok = false;
  for (const T of integerArrays) if (array instanceof T) ok = true;
  if (!ok) throw named('TypeMismatchError', 'getRandomValues: the argument must be an integer typed array');
  if (array.byteLength > 65536) throw named('QuotaExceededError', 'getRandomValues: at most 65536 bytes can be requested');
  const bin = N.randomBytes(array.byteLength);
  const view = new U8(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < view.length; i++) view[i] = apply(charCodeAt, bin, [i]);
  return array;
});
def(crypto, 'randomUUID', function randomUUID() {
  const bin = N.randomBytes(16);
  const b = [];
  for (let i = 0; i < 16; i++) b[i] = apply(charCodeAt, bin, [i]);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = N.hexEncode(apply(fromCharCode, null, b));
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
});
def(G, 'crypto', crypto);

// faker: one instance for this scope, made on first use (most scopes never use it), seeded
// before any call, with the original engine's spellings; then a read-only data property.
// The bundle hands its factory over as globalThis.__flowFaker: an accessor, so the hand-over
// works even after the code froze the global (and it reads as undefined until then).
let factory;
defineProperty(G, '__flowFaker', {get() { return factory; }, set(f) { factory = f; },
                                  enumerable: false, configurable: true});
let made = null;
const makeFaker = () => {
  if (made !== null) return made;
  const faker = N.loadFaker(locale);
  if (seed !== null) faker.seed(seed);
  const number = faker.number;
  if (number && typeof number.float === 'function') {
    const float = number.float;
    def(number, 'float', function float_(options, ...rest) {
      if (options !== null && typeof options === 'object' && options.precision !== undefined &&
          options.multipleOf === undefined && options.fractionDigits === undefined) {
        const o = {};
        for (const k of Object.keys(options)) if (k !== 'precision') o[k] = options[k];
        o.multipleOf = options.precision;
        options = o;
      }
      return apply(float, number, [options, ...rest]);
    });
  }
  const internet = faker.internet;
  if (internet && typeof internet.username === 'function') def(internet, 'userName', internet.username);
  made = faker;
  try {
    defineProperty(G, 'faker', {value: faker, writable: false, enumerable: false, configurable: false});
  } catch (e) { /* the code froze the global or redefined faker: the getter keeps answering */ }
  return faker;
};
defineProperty(G, 'faker', {get: function faker() { return makeFaker(); }, enumerable: false, configurable: true});
return makeFaker;
}))JS";

}  // namespace

std::string_view SandboxPrelude() { return kPrelude; }

}  // namespace flow::adapters::sandbox
