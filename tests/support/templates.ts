import { Template } from "aws-cdk-lib/assertions";
import { synthesise } from "../../local/synth.js";

const cache = new Map<string, Promise<Record<string, Template>>>();

/** The synthesised templates of a stage as CDK assertion Templates, keyed by stack short name. */
export function templatesFor(stage: string): Promise<Record<string, Template>> {
  let result = cache.get(stage);
  if (!result) {
    result = synthesise({ stage }).then((synth) =>
      Object.fromEntries(
        Object.entries(synth.templates).map(([name, json]) => [name.replace(`${stage}-karta-`, ""), Template.fromJSON(json)]),
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
