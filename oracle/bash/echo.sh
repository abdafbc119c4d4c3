# echo, as bash's builtin prints it
echo
echo hello world
echo "a   b"   c
echo 'single $HOME' "double $?"
echo a\ b \$x \\ \"q\"
echo -n no newline; echo
echo -e 'tab\there' 'nl\nx'
echo -E 'tab\there'
echo -ne 'cut\c' never; echo
echo -en 'a\x41\0101\u00e9\n'
echo -e 'bell\a' | grep -c bell
echo -nn twice; echo
echo -x dash-x
echo -- dashdash
echo -n
echo -e
echo -neE '\t<'
echo "-n" quoted-option-still-option
echo - single-dash
echo a#b '#' # a comment
echo "$UNSET_VARIABLE"end
