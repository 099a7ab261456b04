-- A batch's checkpoint and the COMMIT of its transaction go to the server together, in one round
-- trip. A checkpoint that finds the lease gone must therefore fail, rather than update nothing:
-- the failure skips the COMMIT, and the batch rolls back. The runner knows the error by its SQLSTATE.
CREATE FUNCTION etl.lease_lost(pipeline text, token bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the lease of % (token %) expired or was taken over', pipeline, token USING ERRCODE = 'EL001';
END
$$;
