// `npm start` bootstrap, plain JavaScript with no dependencies: installs node_modules when missing (npm ci),
// builds (node scripts/build.mjs), then hands over to out/scripts/start.js (scripts/start.ts) in this process.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function run(command, args) {
    const r = spawnSync(command, args, { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
        console.error(`start: \`${command} ${args.join(" ")}\` failed (${r.status ?? r.signal ?? r.error?.message})`);
        process.exit(1);
    }
}

if (!existsSync(join(root, "node_modules"))) {
    console.log("start: node_modules is missing: npm ci");
    run("npm", ["ci"]);
}
run(process.execPath, [join(root, "scripts", "build.mjs")]);
const { main } = createRequire(import.meta.url)(join(root, "out", "scripts", "start.js"));
main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    }
);
