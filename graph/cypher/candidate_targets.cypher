// Candidate targets: molecules and cells that a therapy in the graph is aimed at,
// with how many therapies aim at each and how many trials test those therapies.
MATCH (t:Entity)-[:TARGETS]->(x:Entity)
OPTIONAL MATCH (t)-[:TESTED_IN]->(trial:ClinicalTrial)
RETURN x.id AS id, x.name AS name, x.kind AS kind,
       count(DISTINCT t) AS n_therapies, count(DISTINCT trial) AS n_trials,
       collect(DISTINCT t.id) AS therapies
ORDER BY n_therapies DESC, n_trials DESC, id
