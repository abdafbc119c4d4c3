type echo cd if ls
type nosuch
echo $?
type -t echo for ls nosuch
which ls cat nosuch
echo $?
which cd
echo $?
command -v ls cd while nosuch
echo $?
ls > /dev/null
type ls
whoami
history
echo $?
