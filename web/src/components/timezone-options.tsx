// East African zones first (the usual answer), then every zone the browser knows.
const preferred = ["Africa/Dar_es_Salaam", "Africa/Nairobi", "Africa/Kampala", "Africa/Kigali", "Africa/Lusaka", "UTC"];

function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

const zones = [...new Set([...preferred, ...knownZones()])];

/** Suggestions for a time-zone text field (`<input list=id>`). */
export function TimezoneOptions({ id }: { id: string }) {
  return (
    <datalist id={id}>
      {zones.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}
