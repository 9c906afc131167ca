import { synthesise } from "../../local/synth.js";
import { synthOptions } from "./templates.js";

/**
 * Synthesises the stages once before any test file runs, so parallel test files read the
 * cached assemblies instead of racing to write them.
 */
export default async function setup() {
  for (const stage of ["local", "prod"]) await synthesise(synthOptions(stage));
}
