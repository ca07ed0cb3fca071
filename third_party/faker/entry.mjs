// Entry of the faker bundle (built by src/adapters/script_mozjs/faker/CMakeLists.txt with esbuild
// as an IIFE). Run as a classic script in a fresh global, it defines globalThis.__flowFaker(locale),
// which returns one Faker instance per locale ("en", or "pt_BR" falling back to en, then base).
import { Faker, base, en, pt_BR } from '@faker-js/faker';
const made = {};
globalThis.__flowFaker = (l) => {
  if (l !== 'en' && l !== 'pt_BR') throw new TypeError('unknown faker locale ' + l);
  return made[l] ??= new Faker({ locale: l === 'pt_BR' ? [pt_BR, en, base] : [en, base] });
};
