-- Registrations for debt assistance (schuldhulpverlening), at the address where the applicant was
-- registered in the BRP on the day of registration (aanmelddatum). A registration of someone not
-- registered in the municipality that day does not count. The sociaal BSN meets the BRP only through sociaal_adresperioden (the declared link basis–sociaal); no identifier and no status (financial data) leaves this model.
select
  p.buurtcode,
  p.wijkcode,
  s.aanmelddatum
from ref('schuldhulp') s
join ref('sociaal_adresperioden') p
  on p.bsn = s.bsn
  and p.datum_vestiging <= s.aanmelddatum
  and (p.datum_vertrek is null or p.datum_vertrek > s.aanmelddatum)
