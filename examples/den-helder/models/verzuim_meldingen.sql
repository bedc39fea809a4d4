-- School absenteeism reports (leerplicht: relatief and absoluut verzuim), at the address where the
-- pupil was registered in the BRP on the report date, with the pupil's birth year from the BRP. The
-- sociaal BSN meets the BRP only through the declared link basis–sociaal (purpose
-- beleidsinformatie), and only through the BRP's own BSNs; no identifier leaves this model.
select
  p.buurtcode,
  p.wijkcode,
  p.geboortejaar,
  v.schooljaar,
  v.soort_verzuim,
  v.meldingsdatum
from ref('verzuim') v
join ref('sociaal_adresperioden') p
  on p.bsn = v.bsn
  and p.datum_vestiging <= v.meldingsdatum
  and (p.datum_vertrek is null or p.datum_vertrek > v.meldingsdatum)
