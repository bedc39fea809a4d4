// Every test process gets a fixed pseudonymisation key through the environment (never a real one).
process.env['PAKHUIS_PSEUDONYM_KEY'] ??= '5eed'.repeat(16);
process.env['PAKHUIS_PSEUDONYM_KEY_AUDIT'] ??= 'a0d1'.repeat(16);
