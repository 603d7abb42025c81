// Trials for a therapy: trials that test it, or a member of it when it is a class.
// @param therapy entity  (id, name or synonym, e.g. sintilimab or "PD-1 antibody")
MATCH (t:Entity)-[:TESTED_IN]->(trial:ClinicalTrial)
OPTIONAL MATCH (t)-[:SUBTYPE_OF]->(c:Entity {id: $therapy})
WITH t, trial, c
WHERE t.id = $therapy OR c IS NOT NULL
RETURN DISTINCT trial.id AS trial, trial.name AS name, trial.phase AS phase,
       trial.country AS country, trial.expected_completion AS expected_completion, t.id AS via
ORDER BY trial, via
