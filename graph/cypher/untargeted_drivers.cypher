// Untargeted drivers: molecules and cells that drive a disease outcome over one to three signed
// steps and that no therapy in the graph targets yet, with the evidence along those paths.
// A path's sign is the product of its steps (PROMOTES, ACTIVATES, ... +; INHIBITS, KILLS -);
// SUBTYPE_OF, PART_OF and FORM_OF pass the sign through. A driver has a path of sign + to the outcome. As in
// `mechgraph path`, EXPRESSES (a marker) is not a step, a path never passes a therapy (an edge into a
// therapy changes its efficacy, it is not a mechanism) and no step rests on hypotheses alone.
// hops: its shortest such path; n_paths: how many there are; n_refs: distinct references on
// their steps (the review itself not counted); best_level: the strongest path's weakest step
// (randomised_trial > nonrandomised_trial > observational_human > case_report > preclinical_in_vivo > in_vitro > expert_statement).
MATCH p = (x:Entity)-[:PROMOTES|INHIBITS|ACTIVATES|RECRUITS|SECRETES|POLARIZES|KILLS|CHARACTERIZED_BY|SUBTYPE_OF|PART_OF|FORM_OF*1..3]->(o:Entity)
WHERE o.id IN ['peritoneal_metastasis', 'immunosuppressive_tme', 'malignant_ascites', 'poor_survival']
  AND x.kind IN ['gene', 'complex', 'cytokine', 'mirna', 'chemical', 'cell_type', 'cell_state']
  AND any(r IN relationships(p) WHERE r.sign <> '=')
  AND none(n IN nodes(p) WHERE n.kind IN ['therapy', 'therapy_class'])
  AND all(r IN relationships(p) WHERE r.supports IS NULL OR any(s IN r.supports WHERE s <> 'hypothesis'))
  AND reduce(s = 1, r IN relationships(p) | s * CASE r.sign WHEN '-' THEN -1 ELSE 1 END) = 1
  AND NOT EXISTS {
    MATCH (t:Entity)-[:TARGETS|INHIBITS|ACTIVATES|BINDS|KILLS|FORM_OF]->(x)
    WHERE t.kind IN ['therapy', 'therapy_class']
  }
WITH o, x, p,
     reduce(w = 7, r IN relationships(p) |
       CASE WHEN coalesce({randomised_trial: 7, nonrandomised_trial: 6, observational_human: 5, case_report: 4, preclinical_in_vivo: 3, in_vitro: 2, expert_statement: 1}[r.level], 0) < w
            THEN coalesce({randomised_trial: 7, nonrandomised_trial: 6, observational_human: 5, case_report: 4, preclinical_in_vivo: 3, in_vitro: 2, expert_statement: 1}[r.level], 0)
            ELSE w END) AS weakest,
     reduce(acc = [], r IN relationships(p) | acc + [ref IN r.refs WHERE ref <> 'review']) AS path_refs
WITH o, x, min(length(p)) AS hops, count(DISTINCT p) AS n_paths, max(weakest) AS best,
     reduce(acc = [], ref IN reduce(all_refs = [], refs IN collect(path_refs) | all_refs + refs) |
       CASE WHEN ref IN acc THEN acc ELSE acc + ref END) AS refs
RETURN o.id AS outcome, x.id AS driver, x.name AS name, x.kind AS kind, hops, n_paths, size(refs) AS n_refs,
       ['none', 'expert_statement', 'in_vitro', 'preclinical_in_vivo', 'case_report', 'observational_human', 'nonrandomised_trial', 'randomised_trial'][best] AS best_level
ORDER BY outcome, best DESC, n_refs DESC, driver
