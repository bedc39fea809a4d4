-- Young people with jeugdhulp or jeugdbescherming: persons with at least one running trajectory, at
-- their address, with the birth year from the BRP (merged periods; see zorgtrajecten).
select buurtcode, wijkcode, geboortejaar, datum_van, datum_tot
from ref('zorgtrajecten')
where regeling = 'jeugdhulp'
