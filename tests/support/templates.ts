import { Template } from "aws-cdk-lib/assertions";
import { synthesise, type SynthResult } from "../../local/synth.js";
import { trialSettings } from "../../local/trial-settings.js";

/** prod is synthesised with a real-looking sender domain (stacks/config.ts refuses the placeholder). */
export const synthOptions = (stage: string) => ({ stage, ...(stage === "prod" ? { settings: trialSettings } : {}) });

const syntheses = new Map<string, Promise<SynthResult>>();
const cache = new Map<string, Promise<Record<string, Template>>>();

/** The offline synthesis of a stage (templates, bundle assets, synth annotations), once per process. */
export function synthFor(stage: string): Promise<SynthResult> {
  let result = syntheses.get(stage);
  if (!result) {
    result = synthesise(synthOptions(stage));
    syntheses.set(stage, result);
  }
  return result;
}

/** A stack name without its "<stage>-karta-" prefix ("prod-karta-Api" → "Api"). */
export function shortStackName(stage: string, name: string): string {
  return name.replace(`${stage}-karta-`, "");
}

/** The synthesised templates of a stage as CDK assertion Templates, keyed by stack short name. */
export function templatesFor(stage: string): Promise<Record<string, Template>> {
  let result = cache.get(stage);
  if (!result) {
    result = synthFor(stage).then((synth) =>
      Object.fromEntries(
        Object.entries(synth.templates).map(([name, json]) => [shortStackName(stage, name), Template.fromJSON(json)]),
      ),
    );
    cache.set(stage, result);
  }
  return result;
}

/** The plain ASL of a state machine in a template (intrinsics resolved to placeholders). */
export function stateMachineDefinition(template: Template, logicalIdPrefix: string): any {
  const machines = template.findResources("AWS::StepFunctions::StateMachine");
  const [, machine] = Object.entries(machines).find(([id]) => id.startsWith(logicalIdPrefix))!;
  const flatten = (value: any): string =>
    typeof value === "string" ? value : value["Fn::Join"] ? value["Fn::Join"][1].map(flatten).join("") : "PLACEHOLDER";
  return JSON.parse(flatten(machine.Properties.DefinitionString));
}
