printf "%s-%d\n" a 1 b 2 c
printf "%5s|%-5s|%05d|%x|%X|%o|%c|%%\n" ab cd 42 255 255 8 xyz
printf "%d\n" abc
echo $?
printf "%d\n" "'A"
printf "%.2f %e %g %g %g %G\n" 3.14159 1234.5 0.0001 100000000 2.5 0.00001234
printf
echo $?
printf "a\tb\\n\101\x41\n"
printf "%b\n" "x\ty\0101"
printf "%s\n"
printf "%q\n" "a b'c"
printf -v V "%s" hi; echo $V
printf "%3.1s|\n" abc
printf "%+d % d\n" 5 5
printf "%*d|\n" 5 42
printf "%d %d\n" 1
printf "%i\n" 0x1f
printf "%d\n" 1.5
echo $?
printf "no newline"; echo
printf "%s %s\n" "$(echo ip | head -c 2)" done
printf -- "--%s--\n" dash
printf "%b" "stop\chere"; echo
