# source and .: the file's commands run in this shell, with its own name in diagnostics
printf 'echo in $1 $#\nnosuchcmd\nreturn 3\necho after\n' > f
printf 'echo a\nif then\necho never\n' > g
printf 'x=set-by-h\ncd /\n' > h
printf 'echo one; exit 7\n' > e
source f x y; echo st=$?
. f; echo st=$?
source g; echo st=$?
source; echo st=$?
.; echo st=$?
source nosuch; echo st=$?
source h; echo "x=$x pwd=$(pwd)"; cd - >/dev/null
echo $1 $#
return 2; echo st=$?
source e; echo not reached
