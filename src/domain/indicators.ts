/** The indicator framework's vocabularies, shared by the catalogue, profiles and their schemas. */

/** Who an indicator is about (Smart Specialisation Hub framing). */
export const ACTORS = ['research_base', 'business', 'place'] as const;
/** What it measures: money in, people and skills, results, or the conditions innovation happens in. */
export const DIMENSIONS = ['funding', 'talent', 'outputs', 'environment'] as const;
/** Which direction ranks first. */
export const POLARITY = ['higher_is_better', 'lower_is_better', 'neutral'] as const;
