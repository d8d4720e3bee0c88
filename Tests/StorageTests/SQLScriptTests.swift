import Storage
import Testing

@Suite(.timeLimit(.minutes(5))) struct SQLScriptTests {
    @Test func splitsAtTopLevelSemicolons() {
        #expect(SQLScript.statements(in: "SELECT 1; SELECT 2;\n SELECT 3") == ["SELECT 1", "SELECT 2", "SELECT 3"])
    }

    @Test func keepsSemicolonsInsideQuotesAndComments() {
        let script = """
            -- a comment; with a semicolon
            SELECT 'a;b', E'it\\'s;', "odd;name" FROM t; /* block; /* nested; */ still; */ SELECT 2;
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
            CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;
            SELECT $1::int, a$b FROM x
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 5)
        #expect(statements[0].hasSuffix("SELECT 'a;b', E'it\\'s;', \"odd;name\" FROM t"))
        #expect(statements[1].hasSuffix("SELECT 2"))
        #expect(statements[2] == "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$")
        #expect(statements[3].hasSuffix("END $body$"))
        #expect(statements[4] == "SELECT $1::int, a$b FROM x")
    }

    @Test func dropsCommentOnlyStatements() {
        #expect(SQLScript.statements(in: "-- only a comment\n;  ; /* and this */") == [])
        #expect(SQLScript.statements(in: "SELECT 'it''s'; -- trailing") == ["SELECT 'it''s'"])
    }
}
