foo
echo $?
foo bar baz 2>/dev/null
echo $?
echo visible; nosuchcmd; echo also visible
/usr/bin/nosuch
./nosuch
