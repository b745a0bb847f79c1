import { cmdletError } from "./cmdletError";
import { dateParameterValue } from "./dateParameterValue";

/**
 * -Roll and -EffectiveDate go together: the help says the command fails with -Roll alone, and an
 * -EffectiveDate without -Roll would stage nothing, so Lync rejects that too [guess: the texts are ours].
 */
export function rollOptions(
  cmdlet: string,
  parameters: Readonly<Record<string, unknown>>,
): { roll: boolean; effectiveDate?: Date } {
  const roll = parameters.Roll === true;
  const effectiveDate = dateParameterValue(cmdlet, "EffectiveDate", parameters.EffectiveDate);
  if (roll && effectiveDate === undefined) {
    throw cmdletError(
      cmdlet,
      'The Roll parameter requires the EffectiveDate parameter. Add -EffectiveDate "<date and time the certificate takes over>".',
      "RollRequiresEffectiveDate",
      "InvalidArgument",
    );
  }
  if (!roll && effectiveDate !== undefined) {
    throw cmdletError(
      cmdlet,
      "The EffectiveDate parameter can only be used with the Roll parameter. Add -Roll to stage the certificate, or omit -EffectiveDate.",
      "EffectiveDateRequiresRoll",
      "InvalidArgument",
    );
  }
  return effectiveDate === undefined ? { roll } : { roll, effectiveDate };
}
