// Copies the runtime files Alexi needs from node_modules into ../static/vendor/.
// Run via `npm run vendor` (or `npm run build`, which also compiles the CSS).
//
// Deliberately NOT copied from govuk-frontend:
//   - assets/fonts/   (GDS Transport is licensed for GOV.UK services only)
//   - assets/images/, assets/rebrand/images/ (every image is the GOV.UK crown,
//     Royal Arms crest or a crown-based favicon/app icon)
//   - assets/manifest.json files (they only list those crown icons)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const frontend = join(here, "..");
const modules = join(frontend, "node_modules");
const vendor = join(frontend, "..", "static", "vendor");

const version = (pkg) => JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;

function copy(from, to) {
  if (!existsSync(from)) throw new Error(`missing ${from} (did you run npm install?)`);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  console.log(`  ${relative(frontend, to)}`);
}

// Remove folders left empty by the filtered copy (e.g. assets/rebrand/).
function pruneEmpty(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) pruneEmpty(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

// --- govuk-frontend -------------------------------------------------------
{
  const src = join(modules, "govuk-frontend", "dist", "govuk");
  const out = fresh(join(vendor, "govuk-frontend"));
  copy(join(src, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
  // The .min.js ends with a sourceMappingURL comment; ship the map so that
  // Django's ManifestStaticFilesStorage (collectstatic) can resolve it.
  copy(join(src, "govuk-frontend.min.js.map"), join(out, "govuk-frontend.min.js.map"));

  // assets/ minus fonts and minus crown/crest imagery (see header comment).
  const excluded = /(^|\/)(fonts|images)(\/|$)|(^|\/)manifest\.json$/;
  const assetsSrc = join(src, "assets");
  const assetsOut = join(out, "assets");
  mkdirSync(assetsOut, { recursive: true });
  cpSync(assetsSrc, assetsOut, {
    recursive: true,
    filter: (path) => !excluded.test(relative(assetsSrc, path).split("\\").join("/")),
  });
  pruneEmpty(assetsOut);
  mkdirSync(assetsOut, { recursive: true });
  writeFileSync(
    join(assetsOut, "README.txt"),
    "Intentionally (almost) empty.\n\n" +
      "govuk-frontend's assets/ only contains the GOV.UK typeface files, GOV.UK crown /\n" +
      "Royal Arms crest images and a web manifest pointing at them. Alexi must not use\n" +
      "any of those, so frontend/scripts/vendor.mjs leaves them out. alexi.scss sets\n" +
      "$govuk-assets-path to this folder and disables the font-face and crest images.\n"
  );

  // The npm package does not include its LICENSE file; we keep a copy of the
  // upstream LICENSE.txt (MIT) in frontend/licenses/.
  copy(join(frontend, "licenses", "govuk-frontend-LICENSE.txt"), join(out, "LICENSE"));
  writeFileSync(join(out, "VERSION"), `${version("govuk-frontend")}\n`);
}

// --- htmx -----------------------------------------------------------------
{
  const src = join(modules, "htmx.org");
  const out = fresh(join(vendor, "htmx"));
  copy(join(src, "dist", "htmx.min.js"), join(out, "htmx.min.js"));
  copy(join(src, "LICENSE"), join(out, "LICENSE"));
  writeFileSync(join(out, "VERSION"), `${version("htmx.org")}\n`);
}

// --- axe-core -------------------------------------------------------------
{
  const src = join(modules, "axe-core");
  const out = fresh(join(vendor, "axe-core"));
  copy(join(src, "axe.min.js"), join(out, "axe.min.js"));
  copy(join(src, "LICENSE"), join(out, "LICENSE"));
  copy(join(src, "LICENSE-3RD-PARTY.txt"), join(out, "LICENSE-3RD-PARTY.txt"));
  writeFileSync(join(out, "VERSION"), `${version("axe-core")}\n`);
}

console.log("vendored into", relative(frontend, vendor));
